/**
 * A private PostgreSQL cluster for tests and benchmarks: `initdb` into a fresh temp folder, the
 * server listening on a unix socket in that folder only (no TCP port, so clusters never collide and
 * nothing outside this machine's root and the cluster's user can reach it), stopped and removed at
 * the end.
 *
 * The server runs under a watchdog shell whose stdin is a pipe from this process: if the test
 * process dies, even by SIGKILL, the pipe closes and the watchdog stops PostgreSQL. initdb and the
 * server refuse to run as root, so when the tests run as root they run as the `postgres` user
 * (Debian's package creates it) or else `nobody`, through `runuser`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgClusterOptions {
  /** fsync and synchronous_commit on (default): what a site runs. Off only for tests that never crash the server. */
  readonly durable?: boolean;
  readonly database?: string;
  readonly maxConnections?: number;
}

export interface PgCluster {
  /** A libpq connection string over the unix socket (what `pg` and `cccd-kiosk hub --database` take). */
  readonly url: string;
  readonly socketDir: string;
  readonly dataDir: string;
  /** Whether the server is up now. */
  readonly running: boolean;
  /** Starts the server again after `stopServer` (the fault tests' "PostgreSQL comes back"). */
  startServer(): Promise<void>;
  /** Stops the server (fast shutdown: open sessions are cut), keeping the data. */
  stopServer(): Promise<void>;
  /** Stops the server and removes every file of the cluster. */
  stop(): Promise<void>;
}

const USER = 'cccd';

/** The folder of PostgreSQL's programs: $PG_BIN, else the newest /usr/lib/postgresql/N/bin, else `pg_config --bindir`. */
export function postgresBin(): string | undefined {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : undefined;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return existsSync(join(dir, 'initdb')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why PostgreSQL tests cannot run here, or undefined when they can. On CI (or with
 * REQUIRE_POSTGRES=1) a missing PostgreSQL is a failure, not a skip.
 */
export function postgresMissing(): string | undefined {
  if (postgresBin()) return undefined;
  const why = 'PostgreSQL is not installed (apt-get install postgresql, or set PG_BIN)';
  if (process.env.CI || process.env.REQUIRE_POSTGRES === '1') throw new Error(why);
  console.warn(`skipping PostgreSQL tests: ${why}`);
  return why;
}

/** The user the server runs as: ourselves, unless we are root. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { name, uid: id('-u'), gid: id('-g') };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

function asServerUser(user: ReturnType<typeof serverUser>, program: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', user.name, '--', program, ...args]] : [program, args];
}

export async function startPostgres(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql, or set PG_BIN)');
  const user = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'cccd-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = root;
  const database = options.database ?? 'site';
  if (user) chownSync(root, user.uid, user.gid);
  const run = (program: string, args: string[]) => {
    const [cmd, argv] = asServerUser(user, join(bin, program), args);
    execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
  };
  try {
    run('initdb', ['-D', dataDir, '-U', USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions', ...(options.durable === false ? ['--no-sync'] : [])]);
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
  }
  const durable = options.durable !== false;
  // Unix socket only, in the cluster's own folder; the log goes to a file beside the data.
  writeFileSync(
    join(dataDir, 'postgresql.auto.conf'),
    [
      "listen_addresses = ''",
      `unix_socket_directories = '${socketDir}'`,
      `max_connections = ${options.maxConnections ?? 100}`,
      'shared_buffers = 32MB',
      `fsync = ${durable ? 'on' : 'off'}`,
      `synchronous_commit = ${durable ? 'on' : 'off'}`,
      `full_page_writes = ${durable ? 'on' : 'off'}`,
      "logging_collector = off",
      '',
    ].join('\n'),
  );
  if (user) chownSync(join(dataDir, 'postgresql.auto.conf'), user.uid, user.gid);

  let watchdog: ChildProcess | undefined;
  let created = false;
  const logFile = join(root, 'server.log');

  async function startServer(): Promise<void> {
    if (watchdog) return;
    // `read` returns at a line from us or at EOF when we die: either way the server is stopped,
    // and unless we said "keep" (a restart is coming) the cluster's files go with it.
    const script = `"$1/pg_ctl" start -w -t 60 -D "$2" -l "$3" -s || exit 1; echo started; read what; "$1/pg_ctl" stop -D "$2" -m fast -s; [ "$what" = keep ] || rm -rf "$4"`;
    const [cmd, argv] = asServerUser(user, '/bin/sh', ['-c', script, 'watchdog', bin!, dataDir, logFile, root]);
    const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], cwd: root });
    watchdog = child;
    let out = '';
    await new Promise<void>((ok, fail) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('started')) ok();
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => {
        watchdog = undefined;
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
        fail(new Error(`PostgreSQL did not start (exit ${code}): ${out}\n${log}`));
      });
    });
    if (!created) {
      run('createdb', ['-h', socketDir, '-U', USER, database]);
      created = true;
    }
  }

  async function stopServer(keep = true): Promise<void> {
    const child = watchdog;
    if (!child) return;
    await new Promise<void>((done) => {
      child.removeAllListeners('exit');
      child.once('exit', () => done());
      child.stdin!.end(keep ? 'keep\n' : 'remove\n');
    });
    watchdog = undefined;
  }

  await startServer().catch((e: unknown) => {
    rmSync(root, { recursive: true, force: true });
    throw e;
  });

  return {
    url: `postgresql://${USER}@/${database}?host=${encodeURIComponent(socketDir)}`,
    socketDir,
    dataDir,
    get running() {
      return watchdog !== undefined;
    },
    startServer,
    stopServer: () => stopServer(true),
    async stop() {
      await stopServer(false);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
