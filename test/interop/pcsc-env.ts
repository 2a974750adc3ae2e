/**
 * A real PC/SC stack for interop tests: pcscd with Debian's vpcd driver, and an eMRTD emulated by
 * vicc (python3-virtualsmartcard, fixed by test/interop/vicc) "inserted" into the virtual reader.
 *
 * Isolation: pcscd has compiled-in paths (/run/pcscd/pcscd.comm) and one instance per machine.
 * As root we start it in a private mount namespace whose /run/pcscd is a bind of our own folder,
 * and point libpcsclite at that socket with PCSCLITE_CSOCK_NAME. Its vpcd listens on a free port
 * of our choosing, so a system pcscd or another test's pcscd is never disturbed. Without
 * permission for a mount namespace, pcscd runs normally (only if no other pcscd is running).
 *
 * Manual use:  node --import tsx test/interop/pcsc-env.ts --lds DIR   (prints the socket; Ctrl-C stops)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SYSTEM_PYTHON = '/usr/bin/python3';
export const PCSCD = '/usr/sbin/pcscd';
export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const CARD_SCRIPT = fileURLToPath(new URL('./vicc/emrtd_card.py', import.meta.url));
const SYSTEM_SOCKET = '/run/pcscd/pcscd.comm';

/** Environment for Debian's python: no pyenv/venv paths leaking in, no __pycache__ in the repo. */
export function systemPythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  for (const k of ['PYTHONHOME', 'PYTHONPATH', 'VIRTUAL_ENV']) delete env[k];
  return env;
}

/** vpcd's first slot; it also creates "Virtual PCD 00 01" on port + 1. */
export const VIRTUAL_READER = 'Virtual PCD 00 00';

export interface CardOptions {
  /** Directory with mrz.txt and <FID>.bin (see export-persona.ts). */
  readonly lds: string;
  /** false = stock vicc socket behaviour (no TCP_QUICKACK/NODELAY), for the latency comparison. */
  readonly quickack?: boolean;
  /** false = the ATR does not announce extended length. */
  readonly extendedLength?: boolean;
  /** Test hook: GET CHALLENGE always returns these 8 bytes (hex). */
  readonly fixedChallenge?: string;
  /** Negative control: the card uses vicc's own (buggy) SSC encoding. */
  readonly stockSsc?: boolean;
}

/**
 * Why the stack cannot run here, or undefined when everything is installed. The text names the
 * Debian packages to install.
 */
export function missingPcscStack(): string | undefined {
  const missing: string[] = [];
  if (!existsSync(PCSCD)) missing.push(`${PCSCD} (apt: pcscd)`);
  if (!existsSync(VPCD_DRIVER)) missing.push(`${VPCD_DRIVER} (apt: vsmartcard-vpcd)`);
  if (!existsSync(SYSTEM_PYTHON)) missing.push(`${SYSTEM_PYTHON} (apt: python3)`);
  if (missing.length) return `not installed: ${missing.join(', ')}`;
  const check = spawnSync(SYSTEM_PYTHON, [CARD_SCRIPT, '--check'], { encoding: 'utf8', timeout: 20_000, env: systemPythonEnv() });
  if (check.status !== 0) {
    return `vicc cannot run: ${(check.stderr || check.stdout || String(check.error)).trim()} ` +
      '(apt: python3-virtualsmartcard python3-pycryptodome)';
  }
  try {
    // Optional dependency with a native build against libpcsclite (apt: libpcsclite-dev).
    createRequire(import.meta.url)('smartcard');
  } catch (e) {
    missing.push(`the smartcard npm module (${e instanceof Error ? e.message.split('\n')[0] : String(e)}; apt: libpcsclite-dev, then npm install)`);
  }
  if (missing.length) return `not installed: ${missing.join(', ')}`;
  if (!canUnshareMount()) {
    if (process.getuid?.() !== 0) return 'a private pcscd needs root (pcscd writes /run/pcscd; CI runs as root)';
    if (existsSync(SYSTEM_SOCKET)) return `a pcscd is already running (${SYSTEM_SOCKET}) and no mount namespace may be created for a private one`;
  }
  return undefined;
}

function canUnshareMount(): boolean {
  return spawnSync('unshare', ['--mount', '--propagation', 'private', 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

/** Two consecutive free TCP ports (vpcd listens on port and port + 1). */
async function freePortPair(): Promise<number> {
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '0.0.0.0', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  for (let i = 0; i < 20; i++) {
    const p = await listen(0);
    if (p >= 65535) continue;
    try {
      await listen(p + 1);
      return p;
    } catch {
      // taken: try another
    }
  }
  throw new Error('no pair of free TCP ports for vpcd');
}

async function waitFor(what: string, ms: number, ok: () => boolean, proc?: ChildProcess, log?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (proc && proc.exitCode !== null) throw new Error(`${what}: process exited with ${proc.exitCode}\n${log?.() ?? ''}`);
    if (Date.now() > end) throw new Error(`${what}: timed out after ${ms} ms\n${log?.() ?? ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function stopProcess(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), 3000);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

export class PcscEnv {
  private card: ChildProcess | undefined;
  private cardLog = '';

  private constructor(
    /** Value for PCSCLITE_CSOCK_NAME in the client process. */
    readonly socketPath: string,
    readonly port: number,
    readonly isolated: boolean,
    private readonly workDir: string,
    private readonly pcscd: ChildProcess,
    private readonly pcscdLog: () => string,
  ) {}

  /**
   * Starts pcscd with a vpcd reader (no card yet). With autoExit (default) pcscd quits after 60 s
   * without clients, so a test runner killed mid-run leaves nothing behind for long (vicc exits
   * with it).
   */
  static async start(opts: { readonly autoExit?: boolean } = {}): Promise<PcscEnv> {
    const why = missingPcscStack();
    if (why) throw new Error(why);
    const workDir = mkdtempSync(join(tmpdir(), 'cccd-pcsc-'));
    const conf = join(workDir, 'reader.conf.d');
    const run = join(workDir, 'run');
    mkdirSync(conf);
    mkdirSync(run);
    const port = await freePortPair();
    // reader.conf syntax of Debian's /etc/reader.conf.d/vpcd, with our port in DEVICENAME.
    writeFileSync(join(conf, 'vpcd'),
      `FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:${port}\nLIBPATH      ${VPCD_DRIVER}\nCHANNELID    ${port}\n`);

    const pcscdArgs = ['--foreground', '--info', ...(opts.autoExit === false ? [] : ['--auto-exit']), '--config', conf];
    const isolated = canUnshareMount();
    let pcscd: ChildProcess;
    let socketPath: string;
    if (isolated) {
      socketPath = join(run, 'pcscd.comm');
      pcscd = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c',
        `mkdir -p /run/pcscd && mount --bind "$1" /run/pcscd && shift && exec ${PCSCD} "$@"`, 'sh', run, ...pcscdArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    } else {
      if (existsSync(SYSTEM_SOCKET)) {
        rmSync(workDir, { recursive: true, force: true });
        throw new Error(`a pcscd is already running (${SYSTEM_SOCKET}) and no mount namespace is allowed to run a second one`);
      }
      socketPath = SYSTEM_SOCKET;
      pcscd = spawn(PCSCD, pcscdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    }
    let log = '';
    const append = (b: Buffer) => {
      log = (log + b.toString()).slice(-20_000);
    };
    pcscd.stdout!.on('data', append);
    pcscd.stderr!.on('data', append);
    const env = new PcscEnv(socketPath, port, isolated, workDir, pcscd, () => log);
    try {
      await waitFor('pcscd start', 10_000, () => existsSync(socketPath) && /daemon ready/.test(log), pcscd, () => log);
    } catch (e) {
      await env.stop();
      throw e;
    }
    return env;
  }

  /** Environment for a process that talks to this pcscd (libpcsclite reads PCSCLITE_CSOCK_NAME). */
  clientEnv(): Record<string, string> {
    return { PCSCLITE_CSOCK_NAME: this.socketPath };
  }

  /** "Inserts" a card: starts vicc with the LDS folder; resolves once it is attached to vpcd. */
  async insertCard(opts: CardOptions): Promise<void> {
    await this.removeCard();
    const args = [CARD_SCRIPT, '--lds', opts.lds, '--port', String(this.port)];
    if (opts.quickack === false) args.push('--no-quickack');
    if (opts.extendedLength === false) args.push('--short-only');
    if (opts.fixedChallenge) args.push('--fixed-challenge', opts.fixedChallenge);
    if (opts.stockSsc) args.push('--stock-ssc');
    const card = spawn(SYSTEM_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'], env: systemPythonEnv() });
    this.card = card;
    this.cardLog = '';
    let ready = false;
    card.stdout!.on('data', (b: Buffer) => {
      this.cardLog += b.toString();
      if (/^ready$/m.test(this.cardLog)) ready = true;
    });
    card.stderr!.on('data', (b: Buffer) => {
      this.cardLog = (this.cardLog + b.toString()).slice(-20_000);
    });
    await waitFor('vicc attach', 20_000, () => ready, card, () => this.cardLog);
  }

  /** What the emulated card wrote to stderr (errors only unless verbose). */
  cardOutput(): string {
    return this.cardLog;
  }

  /** Pulls the card out of the virtual reader (vicc exits, vpcd reports the card gone). */
  async removeCard(): Promise<void> {
    await stopProcess(this.card);
    this.card = undefined;
  }

  async stop(): Promise<void> {
    await this.removeCard();
    await stopProcess(this.pcscd);
    rmSync(this.workDir, { recursive: true, force: true });
  }

  pcscdOutput(): string {
    return this.pcscdLog();
  }
}

// ------------------------------------------------------------------ manual use
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--lds');
  const lds = i > 0 ? process.argv[i + 1] : undefined;
  const env = await PcscEnv.start({ autoExit: false });
  if (lds) await env.insertCard({ lds, quickack: !process.argv.includes('--no-quickack') });
  process.stdout.write(`pcscd ready: export PCSCLITE_CSOCK_NAME=${env.socketPath}  reader "${VIRTUAL_READER}"${lds ? ' (card inserted)' : ''}\n`);
  const stop = () => void env.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
