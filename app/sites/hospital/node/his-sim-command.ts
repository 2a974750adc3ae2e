import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../../../cli/command.ts';
import { DEMO_RETURNING_PATIENTS, SCENARIO_PREFIX, startHisSim, startInsuranceSim } from './demo-wiring.ts';

const usage = [
  'Usage: cccd-kiosk his-sim [--port 8090] [--db .kiosk-data/his-sim.sqlite] [--bhxh-port 8091 | --no-bhxh]',
  '                          [--host 127.0.0.1] [--service-fee 150000] [--auto-pay-seconds N]',
  '',
  'Runs the simulated hospital: a FHIR R4 server (departments, clinics, queues, patients) on SQLite,',
  'and, unless --no-bhxh, the simulated social-insurance (BHXH) gateway. Stops on Ctrl-C.',
  '',
  '  --port              FHIR server port (0 picks a free one)',
  '  --db                simulator database file (":memory:" for a throw-away hospital)',
  '  --bhxh-port         BHXH gateway simulator port',
  '  --service-fee       đồng billed for a service examination (ChargeItem)',
  '  --auto-pay-seconds  record the payment of a bill this long after it is issued (demo)',
].join('\n');

function portOf(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError(`${flag} must be a port number 0-65535`);
  return n;
}

function wholeOf(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number ≥ 0`);
  return n;
}

const command: Command = {
  name: 'his-sim',
  summary: 'Run the simulated hospital (FHIR R4 HIS) and BHXH insurance gateway',
  usage,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          port: { type: 'string' },
          db: { type: 'string' },
          host: { type: 'string' },
          'bhxh-port': { type: 'string' },
          'no-bhxh': { type: 'boolean' },
          'service-fee': { type: 'string' },
          'auto-pay-seconds': { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const v = parsed.values;
    const host = v.host ?? '127.0.0.1';
    const autoPay = wholeOf(v['auto-pay-seconds'], '--auto-pay-seconds');
    const his = await startHisSim({
      port: portOf(v.port, 8090, '--port'),
      host,
      dbFile: v.db ?? '.kiosk-data/his-sim.sqlite',
      serviceFeeVnd: wholeOf(v['service-fee'], '--service-fee') ?? 150_000,
      ...(autoPay === undefined ? {} : { autoPayAfterMs: autoPay * 1000 }),
    });
    const bhxh = v['no-bhxh'] ? undefined : await startInsuranceSim({ port: portOf(v['bhxh-port'], 8091, '--bhxh-port'), host });
    console.log(`his-sim: FHIR R4 server at ${his.url} (try ${his.url}/metadata)`);
    console.log(`his-sim: returning patients: ${DEMO_RETURNING_PATIENTS.length} (ID numbers start with 099, no real province)`);
    if (bhxh) {
      console.log(`his-sim: BHXH gateway at ${bhxh.url} (username ${bhxh.username}; password ${bhxh.password}, sent MD5-hashed)`);
      console.log(`his-sim: card ${SCENARIO_PREFIX}<code> answers that maKetQua, e.g. ${SCENARIO_PREFIX}010 = expired`);
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await bhxh?.close();
    await his.close();
    return 0;
  },
};
export default command;
