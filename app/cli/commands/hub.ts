import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { listFleet } from '../../platform/site-hub/fleet.ts';
import { startSiteHub } from '../../platform/site-hub/server.ts';
import { enrolTerminal, withdrawTerminal } from '../../platform/site-hub/terminals.ts';
import { PostgresSiteStore } from '../../platform/store/site-store/postgres.ts';

const usage = `Usage: cccd-kiosk hub serve  --database URL (--cert FILE --key FILE --client-ca FILE | --demo-pki DIR)
                            [--host 127.0.0.1] [--port 8444] [--hub-id NAME] [--pool 10] [--stale-after 60]
                            [--keep-events DAYS]
       cccd-kiosk hub enrol  --database URL --terminal ID (--cert FILE | --demo-pki DIR) [--role kiosk|admin]
       cccd-kiosk hub withdraw --database URL --terminal ID
       cccd-kiosk hub fleet  --database URL [--json] [--stale-after SECONDS]
       cccd-kiosk hub migrate --database URL

The site hub: the site's store (people, blocklist, events, who is inside, queue numbers) in
PostgreSQL, served to the site's kiosks over HTTPS with client certificates required. It keeps no
state of its own: run as many hub processes as the site needs against one database.

  --database URL   libpq connection string (or HUB_DATABASE_URL). The password comes from
                   PGPASSWORD or ~/.pgpass, never from the command line.
  serve            --cert/--key: the hub's TLS certificate; --client-ca: the CA that issues kiosk
                   certificates. --demo-pki DIR creates a demo CA and server certificate (localhost).
  enrol            maps a kiosk's client certificate to its terminal id (--demo-pki DIR issues one
                   from the demo CA first). Every enrolled terminal may read the fleet view.
  fleet            every kiosk's last heartbeat: last seen, version, outbox depth, devices.
  --stale-after S  a kiosk silent for longer is stale in the fleet view (serve: what the kiosks'
                   fleet pages show; fleet: this listing). Default 60.
  --keep-events D  days of the event log no kiosk may purge (default 1): set it to the site's
                   retention period, so one kiosk's certificate cannot erase older history sooner.
Guide: docs/site-hub.md.`;

function database(value: string | undefined): string {
  const url = value ?? process.env.HUB_DATABASE_URL;
  if (!url) throw new UsageError('--database (or HUB_DATABASE_URL) is required');
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    // key=value form: libpq keywords
    password = /\bpassword\s*=/.test(url) ? 'set' : '';
  }
  if (password) throw new UsageError('put the database password in PGPASSWORD or ~/.pgpass, not in the connection string on the command line');
  return url;
}

async function demoPki(dir: string) {
  const { ensureDemoPki, ensureTerminalCredentials, spkiSha256 } = await import('../../host/demo-wiring.ts');
  const pki = await ensureDemoPki(resolve(dir));
  return { pki, ensureTerminalCredentials, spkiSha256 };
}

function staleAfterMs(values: Record<string, string | boolean | undefined>): number {
  const seconds = Number(values['stale-after']);
  if (!(seconds > 0)) throw new UsageError('--stale-after must be a number of seconds');
  return Math.round(seconds * 1000);
}

function keepEventsDays(value: string | boolean | undefined): number {
  const days = Number(value ?? '1');
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new UsageError('--keep-events must be a whole number of days, at least 1');
  return days;
}

async function serve(values: Record<string, string | boolean | undefined>): Promise<number> {
  const port = Number(values.port ?? '8444');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
  const poolSize = Number(values.pool ?? '10');
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new UsageError('--pool must be a positive number');
  const keepEvents = keepEventsDays(values['keep-events']);
  const staleAfter = staleAfterMs(values);
  let tls: { certPem: string; keyPem: string; clientCaPem: string };
  let pin: string | undefined;
  let caFile: string | undefined;
  if (typeof values['demo-pki'] === 'string') {
    const { pki, spkiSha256 } = await demoPki(values['demo-pki']);
    tls = { certPem: readFileSync(pki.serverCertFile, 'utf8'), keyPem: readFileSync(pki.serverKeyFile, 'utf8'), clientCaPem: pki.caCert };
    pin = spkiSha256(tls.certPem);
    caFile = pki.caCertFile;
  } else {
    const need = (k: string) => {
      const v = values[k];
      if (typeof v !== 'string') throw new UsageError(`--${k} is required (or --demo-pki DIR)`);
      return readFileSync(resolve(v), 'utf8');
    };
    tls = { certPem: need('cert'), keyPem: need('key'), clientCaPem: need('client-ca') };
  }
  const store = await PostgresSiteStore.open({ connectionString: database(values.database as string | undefined), poolSize });
  const hub = await startSiteHub({
    store,
    tls,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    port,
    ...(typeof values['hub-id'] === 'string' ? { hubId: values['hub-id'] } : {}),
    staleAfterMs: staleAfter,
    keepEventsDays: keepEvents,
    logger: { level: 'warn' },
  });
  console.log(
    [
      `site hub listening on ${hub.url} (hub id ${hub.hubId}; mutual TLS; database schema up to date)`,
      ...(pin ? [`  serverCa:          ${caFile}`, `  serverSpkiSha256:  ${pin}`] : []),
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await hub.close();
  await store.close();
  return 0;
}

const command: Command = {
  name: 'hub',
  summary: 'Run the site hub (the site store on PostgreSQL for many kiosks), enrol kiosks, list the fleet',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values } = parseArgs({
      args: rest,
      options: {
        database: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'client-ca': { type: 'string' },
        'demo-pki': { type: 'string' },
        'hub-id': { type: 'string' },
        pool: { type: 'string' },
        terminal: { type: 'string' },
        role: { type: 'string', default: 'kiosk' },
        json: { type: 'boolean', default: false },
        'stale-after': { type: 'string', default: '60' },
        'keep-events': { type: 'string' },
      },
      strict: true,
    });
    if (sub === 'serve') return serve(values);
    if (sub !== 'enrol' && sub !== 'withdraw' && sub !== 'fleet' && sub !== 'migrate') throw new UsageError(`unknown hub command ${JSON.stringify(sub ?? '')}`);
    const store = await PostgresSiteStore.open({ connectionString: database(values.database), poolSize: 2 });
    try {
      if (sub === 'migrate') {
        console.log('database schema up to date');
      } else if (sub === 'fleet') {
        const kiosks = await listFleet(store.pool, staleAfterMs(values));
        if (values.json) console.log(JSON.stringify(kiosks, null, 2));
        else printFleet(kiosks);
      } else {
        const terminal = values.terminal;
        if (!terminal) throw new UsageError('--terminal ID is required');
        if (sub === 'withdraw') {
          console.log((await withdrawTerminal(store.pool, terminal)) ? `terminal ${terminal} withdrawn` : `terminal ${terminal} was not enrolled`);
        } else {
          if (values.role !== 'kiosk' && values.role !== 'admin') throw new UsageError('--role must be kiosk or admin');
          let certFile = values.cert;
          if (typeof values['demo-pki'] === 'string') {
            const { pki, ensureTerminalCredentials } = await demoPki(values['demo-pki']);
            const creds = await ensureTerminalCredentials(pki, terminal);
            certFile = creds.certFile;
            console.log(`  clientCert: ${creds.certFile}\n  clientKey:  ${creds.keyFile}\n  serverCa:   ${pki.caCertFile}`);
          }
          if (!certFile) throw new UsageError('--cert FILE (or --demo-pki DIR) is required');
          const sha = await enrolTerminal(store.pool, terminal, readFileSync(resolve(certFile), 'utf8'), values.role);
          console.log(`terminal ${terminal} enrolled as ${values.role} (certificate SHA-256 ${sha})`);
        }
      }
    } finally {
      await store.close();
    }
    return 0;
  },
};
export default command;

function printFleet(kiosks: Awaited<ReturnType<typeof listFleet>>): void {
  if (kiosks.length === 0) {
    console.log('no kiosk has sent a heartbeat yet');
    return;
  }
  const rows = kiosks.map((k) => [
    k.terminalId,
    k.state,
    k.lastSeen.replace('T', ' ').slice(0, 19),
    k.softwareVersion ?? '-',
    k.profile ?? '-',
    String(k.outboxDepth),
    k.clockOffsetMs === null ? '-' : `${k.clockOffsetMs} ms`,
    Object.entries(k.devices).map(([d, s]) => `${d}:${s}`).join(' ') + (k.paperLow ? ' paper:low' : ''),
    k.auditRollback ? 'ROLLED-BACK' : k.auditSeq === null ? '-' : `#${k.auditSeq}`,
    k.hub,
  ]);
  const head = ['TERMINAL', 'STATE', 'LAST SEEN (UTC)', 'VERSION', 'PROFILE', 'OUTBOX', 'CLOCK', 'DEVICES', 'AUDIT', 'HUB'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}
