import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../../../cli/command.ts';
import { startDcsSim } from './demo-wiring.ts';

const usage = [
  'Usage: cccd-kiosk dcs-sim [--port 8095] [--host 127.0.0.1] [--token-file PATH] [--auto-pay-seconds N] [--scale-kg 14.6]',
  '',
  'Runs the simulated airline and airport over the HTTP contract of docs/airport-integration.md:',
  'the departure control system (/dcs/v1), the baggage system\'s BSM inbox (/bsm), the biometric',
  'token store (/tokens/v1) and an e-gate (/egate/v1), with a bench scale on its own TCP port.',
  'Its demo flights are laid out around the moment it starts. Stops on Ctrl-C.',
  '',
  '  --port              HTTP port (0 picks a free one)',
  '  --token-file        require `Authorization: Bearer <the file\'s content>` on every contract call',
  '  --auto-pay-seconds  mark a payment made this long after it is opened (demo)',
  '  --scale-kg          the weight on the simulated scale (change it with PUT /sim/scale {"kg": …})',
].join('\n');

function numberOf(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new UsageError(`${flag} must be a number 0..${max}`);
  return n;
}

const command: Command = {
  name: 'dcs-sim',
  summary: 'Run the simulated airline DCS, BSM inbox, biometric token store, e-gate and bag scale',
  usage,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: { port: { type: 'string' }, host: { type: 'string' }, 'token-file': { type: 'string' }, 'auto-pay-seconds': { type: 'string' }, 'scale-kg': { type: 'string' } },
        strict: true,
        allowPositionals: false,
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const v = parsed.values;
    const port = numberOf(v.port, '--port', 65_535) ?? 8095;
    if (!Number.isInteger(port)) throw new UsageError('--port must be a whole number');
    const autoPay = numberOf(v['auto-pay-seconds'], '--auto-pay-seconds', 3600);
    let bearerToken: string | undefined;
    if (v['token-file']) {
      try {
        bearerToken = readFileSync(v['token-file'], 'utf8').trim();
      } catch {
        throw new UsageError('--token-file cannot be read');
      }
      if (!bearerToken) throw new UsageError('--token-file is empty');
    }
    const sim = await startDcsSim({
      port,
      host: v.host ?? '127.0.0.1',
      scaleKg: numberOf(v['scale-kg'], '--scale-kg', 999) ?? 14.6,
      ...(autoPay === undefined ? {} : { rules: { autoPayAfterMs: autoPay * 1000 } }),
      ...(bearerToken ? { bearerToken } : {}),
    });
    console.log(`dcs-sim: DCS at ${sim.url}/dcs/v1, BSM inbox at ${sim.url}/bsm, tokens at ${sim.url}/tokens/v1, e-gate at ${sim.url}/egate/v1`);
    console.log(`dcs-sim: bag scale (continuous output) on tcp://${sim.scale.host}:${sim.scale.port}`);
    console.log('dcs-sim: bookings NVA8QK (a family), LVC3TB (a mistyped name), DTH5RZ (a through journey); flight VN245 boarding at gate 14');
    console.log(bearerToken ? 'dcs-sim: every contract call needs the bearer token' : 'dcs-sim: no authentication (give --token-file to require one)');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sim.close();
    return 0;
  },
};
export default command;
