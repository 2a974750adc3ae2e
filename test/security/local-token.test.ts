import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { openChromiumShell } from '../../app/shell/chromium/launch.ts';
import { CHROMIUM_PATH, chromiumAvailable } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { call, cli, commandLines, eventually } from './local-support.ts';

/**
 * The API token never leaves the host: not on a command line (`ps` shows every user every process's
 * arguments), not on stdout (journald keeps it). The Chromium shell opens a launch page only the
 * kiosk's user can read, which hands the page a one-time ticket; the page trades it for an
 * HttpOnly, SameSite=Strict session cookie.
 */

const pageSessions = (host: KioskHost) => host.audit.recent(200).filter((r) => r.action === 'api.page-session');

describe.skipIf(!chromiumAvailable)('the Chromium shell gets into the API without the token on any command line or stdout', () => {
  const data = tempDir('sec-token');
  const printed: string[] = [];
  let host: KioskHost;
  let ticket = '';
  let browser: ReturnType<typeof openChromiumShell> | undefined;

  beforeAll(async () => {
    // Everything the process writes to its console while the kiosk starts and the window opens.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    }
    host = await startKioskHost({ profile: 'demo', port: 0, dataDir: data.path, log: (l) => printed.push(l) });
    // The shell sees the host as it is; the test only keeps a copy of the ticket it hands out.
    const shellView = { url: host.url, dataDir: host.dataDir, issueLaunchTicket: (onSpent?: () => void) => (ticket = host.issueLaunchTicket(onSpent)) };
    browser = openChromiumShell(CHROMIUM_PATH, shellView, { mode: 'headless', runningAsRoot: process.getuid?.() === 0 });
  }, 60_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await browser?.stop();
    await host?.close();
    data.cleanup();
  });

  it('the page signs in with the ticket; the launch page is then gone and the ticket spent', async () => {
    await eventually('the kiosk page to open its session', () => (pageSessions(host).length > 0 ? true : undefined), 45_000);
    expect(pageSessions(host).map((r) => JSON.parse(String(r.detail)))).toEqual([{ via: 'ticket' }]);
    expect(readdirSync(join(data.path, 'launch'))).toEqual([]);
    const origin = new URL(host.url).origin;
    expect((await call(host.port, '/api/session', { origin, 'x-kiosk-ticket': ticket })).status).toBe(401);
  });

  it('no process on the machine carries the token or the ticket on its command line', async () => {
    const lines = commandLines();
    expect(lines.size).toBeGreaterThan(3);
    const shell = lines.get(browser!.child.pid!);
    expect(shell, 'the Chromium shell is running').toBeDefined();
    expect(shell).toMatch(/file:\/\/\S+\/launch\/[0-9a-f]+\.html/);
    for (const [pid, cmd] of lines) {
      expect(cmd.includes(host.token), `pid ${pid}`).toBe(false);
      expect(cmd.includes(ticket), `pid ${pid}`).toBe(false);
    }
  });

  it('nothing printed while starting and opening the window carries the token or the ticket', () => {
    expect(printed.join('\n')).not.toContain(host.token);
    expect(printed.join('\n')).not.toContain(ticket);
  });

  it('the session cookie is HttpOnly and SameSite=Strict, for the API only', async () => {
    const res = await call(host.port, '/api/session', { origin: new URL(host.url).origin, 'x-kiosk-token': host.token });
    expect(res.status).toBe(200);
    expect(res.setCookie).toMatch(/^kiosk-session=[0-9a-f]{64}; Path=\/api; HttpOnly; SameSite=Strict$/);
  });
});

describe('`cccd-kiosk start --shell=none` prints a launch page, never a secret', () => {
  const dir = tempDir('sec-cli');
  const profile = tempProfile('demo', dir.path);
  let run: ReturnType<typeof cli>;
  beforeAll(() => {
    run = cli(['start', '--shell=none', '--profile', profile.file, '--port', '0']);
  });
  afterAll(async () => {
    await run?.stop();
    dir.cleanup();
  });

  it('the page is private, its one-time ticket opens one session, and the ticket is on no output or command line', async () => {
    const [, page] = await run.line(/open the kiosk UI once.* at (file:\S+)$/);
    const [, url] = await run.line(/host on (http:\/\/127\.0\.0\.1:\d+\/)/);
    const file = fileURLToPath(page!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    const ticket = /#ticket=([0-9a-f]{64})"/.exec(readFileSync(file, 'utf8'))![1]!;
    expect(run.lines.join('\n')).not.toContain(ticket);
    expect(run.lines.join('\n')).not.toMatch(/token/i);
    expect(commandLines().get(run.child.pid!)).not.toContain(ticket);

    const port = Number(new URL(url!).port);
    const origin = new URL(url!).origin;
    expect((await call(port, '/api/session', { origin: 'http://evil.example', 'x-kiosk-ticket': ticket })).status).toBe(403);
    const first = await call(port, '/api/session', { origin, 'x-kiosk-ticket': ticket });
    expect(first.status).toBe(200);
    expect(existsSync(file)).toBe(false);
    expect((await call(port, '/api/session', { origin, 'x-kiosk-ticket': ticket })).status).toBe(401);
    // The cookie it gave is a working session.
    const cookie = first.setCookie!.split(';')[0]!;
    expect((await call(port, '/api/call/uiConfig', { origin, cookie }, {})).body).toMatchObject({ ok: true, result: { siteKind: 'hospital' } });
  });
});
