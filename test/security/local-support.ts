import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import WebSocket from 'ws';
import type { VerificationSubject } from '../../app/core/verification/subject.ts';
import { cardSubject } from '../integration/rar-support.ts';

/** Every readable process command line on this machine, by pid (processes that vanish mid-scan are skipped). */
export function commandLines(): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      out.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      /* exited meanwhile, or not ours to read */
    }
  }
  return out;
}

/** Polls `check` until it returns a value, or fails after `ms`. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A raw HTTP call against the kiosk, with the headers a browser (or an attacker) would send. */
export async function call(port: number, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, setCookie: res.headers.get('set-cookie') };
}

/** Opens the event socket; resolves with 'open' or the HTTP status that refused the upgrade. */
export function socket(port: number, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

/** `cccd-kiosk ARGS` as a child process, its stdout collected line by line. */
export function cli(args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; lines: string[]; line(re: RegExp): Promise<RegExpExecArray>; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['app/cli/bin.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const lines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (c: Buffer) => {
    const parts = (partial + c.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
  return {
    child,
    lines,
    line: (re) => eventually(`a line matching ${re}`, () => lines.map((l) => re.exec(l)).find((m) => m) ?? undefined, 30_000),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    },
  };
}

/** Nguyễn Văn An's genuine card as the kiosk would queue it for the central service: ID number, DG13 and a portrait. */
export async function outboxSubject(): Promise<VerificationSubject> {
  const portrait = await sharp({ create: { width: 48, height: 64, channels: 3, background: '#c08060' } }).jpeg().toBuffer();
  return { ...(await cardSubject()), portrait: { bytes: portrait, format: 'jpeg' }, faceMatch: { matched: true, score: 0.81, threshold: 0.5 } };
}
