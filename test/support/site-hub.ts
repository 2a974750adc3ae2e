/**
 * A whole site for tests and benchmarks: a private PostgreSQL cluster, the demo CA (the same
 * enrolment as the verification service), hub processes (in this process, or real child processes
 * of `cccd-kiosk hub serve` that a test may kill -9), and kiosks, each with its own SQLite file and
 * client certificate, talking to the hubs over mutual TLS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { startSiteHub, type RunningSiteHub, type SiteHubOptions } from '../../app/platform/site-hub/server.ts';
import { enrolTerminal } from '../../app/platform/site-hub/terminals.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { HubSiteStore, type HubClientOptions, type HubEndpoint } from '../../app/platform/store/site-store/hub-client.ts';
import { PostgresSiteStore } from '../../app/platform/store/site-store/postgres.ts';
import { ensureDemoPki, ensureTerminalCredentials, spkiSha256, type DemoPki } from '../../app/sim/rar-server/demo-pki.ts';
import { startPostgres, type PgCluster, type PgClusterOptions } from './postgres.ts';
import { tempDir } from './temp-dir.ts';

const root = resolve(import.meta.dirname, '../..');

export interface ChildHub {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface Kiosk {
  readonly terminalId: string;
  readonly store: HubSiteStore;
  readonly db: Db;
  close(): Promise<void>;
}

export interface TestSite {
  readonly cluster: PgCluster;
  readonly pki: DemoPki;
  readonly dir: string;
  /** Direct access to the site's database, for checks a kiosk cannot make. */
  readonly admin: PostgresSiteStore;
  /** Starts a hub in this process (a PostgreSQL store of its own, as a separate process would have). */
  hub(options?: Pick<SiteHubOptions, 'keepEventsDays'>): Promise<RunningSiteHub>;
  /** Starts `cccd-kiosk hub serve` as a child process, on `port` if given (to restart one in place). */
  childHub(port?: number): Promise<ChildHub>;
  endpoint(terminalId: string, urls: readonly string[]): Promise<HubEndpoint>;
  /** A kiosk on its own SQLite file (reopened when the same `file` is given again). */
  kiosk(terminalId: string, urls: readonly string[], options?: Partial<HubClientOptions> & { file?: string }): Promise<Kiosk>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export async function startTestSite(options: PgClusterOptions = {}): Promise<TestSite> {
  const cluster = await startPostgres(options);
  const tmp = tempDir('site');
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const pki = await ensureDemoPki(join(tmp.path, 'pki'));
    const admin = await PostgresSiteStore.open({ connectionString: cluster.url, poolSize: 4 });
    const tls = { certPem: readFileSync(pki.serverCertFile, 'utf8'), keyPem: readFileSync(pki.serverKeyFile, 'utf8'), clientCaPem: pki.caCert };

    const site: TestSite = {
      cluster,
      pki,
      dir: tmp.path,
      admin,
      async hub(options = {}) {
        const store = await PostgresSiteStore.open({ connectionString: cluster.url });
        const hub = await startSiteHub({ store, tls, ...options });
        closers.push(async () => {
          await hub.close();
          await store.close();
        });
        return hub;
      },
      async childHub(port) {
        const child = spawn(
          process.execPath,
          [join(root, 'app/cli/bin.mjs'), 'hub', 'serve', '--database', cluster.url, '--demo-pki', join(tmp.path, 'pki'), '--port', String(port ?? 0)],
          { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
        let out = '';
        const url = await new Promise<string>((ok, fail) => {
          const timer = setTimeout(() => fail(new Error(`hub did not start: ${out}`)), 60_000);
          const look = (d: Buffer) => {
            out += d.toString();
            const m = /listening on (https:\/\/\S+)/.exec(out);
            if (m) {
              clearTimeout(timer);
              ok(m[1]!);
            }
          };
          child.stdout!.on('data', look);
          child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
          void exited.then((code) => fail(new Error(`hub exited ${code}: ${out}`)));
        });
        const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        };
        closers.push(() => stop('SIGKILL'));
        return { url, port: Number(new URL(url).port), process: child, exited, stop };
      },
      async endpoint(terminalId, urls) {
        const creds = await ensureTerminalCredentials(pki, terminalId);
        await enrolTerminal(admin.pool, terminalId, readFileSync(creds.certFile, 'utf8'));
        return {
          urls,
          clientCertPem: readFileSync(creds.certFile, 'utf8'),
          clientKeyPem: readFileSync(creds.keyFile, 'utf8'),
          serverCaPem: pki.caCert,
          serverSpkiSha256: [spkiSha256(tls.certPem)],
        };
      },
      async kiosk(terminalId, urls, { file, ...more } = {}) {
        const db = openDatabase(file ?? join(tmp.path, `${terminalId}.sqlite`));
        const store = HubSiteStore.open({ endpoint: await site.endpoint(terminalId, urls), db, terminalId, heartbeatMs: 1000, ...more });
        let closed = false;
        const close = async () => {
          if (closed) return;
          closed = true;
          await store.close();
          db.close();
        };
        closers.push(close);
        return { terminalId, store, db, close };
      },
      async close() {
        for (const c of closers.reverse()) await c().catch(() => undefined);
        await admin.close();
        await cluster.stop();
        tmp.cleanup();
      },
    };
    return site;
  } catch (e) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    await cluster.stop();
    tmp.cleanup();
    throw e;
  }
}
