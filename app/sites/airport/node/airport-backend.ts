/**
 * The airport's outside systems from its site settings: the DCS, the BSM inbox, the token store,
 * the e-gate's door and the bag scale. With `dcs: { adapter: sim }` the simulator is started
 * in-process (its start function comes from ./demo-wiring.ts, the one door to ../sim) and the real
 * HTTP adapters talk to it over loopback, exactly as they would to an airline and an airport.
 */
import type { SecretRef } from '../../../core/config/secret-ref.ts';
import type { AirportConfig } from '../common/config.ts';
import { AirportError, type BaggageMessages, type BiometricTokens, type DepartureControl, type Door, type Scale } from '../common/ports.ts';
import { httpBaggageMessages, httpBiometricTokens, httpDepartureControl, httpDoor } from './http-adapters.ts';
import type { ServiceOptions } from './http-service.ts';
import { serialScale } from './scale/serial-scale.ts';

/** What `startDcsSim` (../sim/dcs-sim.ts) accepts and returns, as far as wiring needs. */
export type StartDcsSim = (o: { port: number; rules: { autoPayAfterMs?: number }; scaleKg: number }) => Promise<{
  readonly url: string;
  readonly scale: { readonly host: string; readonly port: number };
  close(): Promise<void>;
}>;

export interface AirportBackend {
  /** Absent: no DCS configured (the placeholder flow). */
  readonly dcs?: DepartureControl;
  readonly baggage?: BaggageMessages;
  readonly tokens?: BiometricTokens;
  readonly door?: Door;
  readonly scale?: Scale;
  readonly simulatorUrls: { readonly dcsUrl?: string };
  close(): Promise<void>;
}

type HttpSettings = { readonly url: string; readonly timeoutMs: number; readonly auth?: { readonly kind: 'bearer'; readonly token: SecretRef } | undefined };

export async function createAirportBackend(
  settings: AirportConfig,
  deps: { readonly readSecret: (ref: SecretRef, keyPath: string) => string; readonly simulators?: { readonly startDcsSim: StartDcsSim } },
): Promise<AirportBackend> {
  const service = (s: HttpSettings, keyPath: string): ServiceOptions => ({
    url: s.url,
    timeoutMs: s.timeoutMs,
    ...(s.auth ? { authorization: `Bearer ${deps.readSecret(s.auth.token, `${keyPath}.auth.token`)}` } : {}),
  });
  const config = (keyPath: string, message: string) => new AirportError('AIRPORT_CONFIG_INVALID', `${keyPath}: ${message}`);
  if (settings.role === 'boarding-gate' && !settings.gate) throw config('site.gate', 'a boarding gate needs the name of its gate');
  if (settings.scale?.adapter === 'sim' && settings.dcs?.adapter !== 'sim') throw config('site.scale', 'the simulated scale runs with the simulated DCS (dcs: { adapter: sim })');

  let sim: Awaited<ReturnType<StartDcsSim>> | undefined;
  if (settings.dcs?.adapter === 'sim') {
    if (!deps.simulators) throw new Error('the airport adapter "sim" needs the simulators passed in from the demo wiring');
    const autoPay = settings.dcs.autoPayAfterSeconds;
    sim = await deps.simulators.startDcsSim({
      port: settings.dcs.port,
      rules: autoPay === undefined ? {} : { autoPayAfterMs: autoPay * 1000 },
      scaleKg: settings.scale?.adapter === 'sim' ? settings.scale.kg : 0,
    });
  }
  try {
    // The simulator stands in for every system the profile does not name.
    const simulated = (path: string): ServiceOptions | undefined => (sim ? { url: `${sim.url}${path}`, timeoutMs: 5000 } : undefined);
    const pick = (s: HttpSettings | undefined, keyPath: string, path: string) => (s ? service(s, keyPath) : simulated(path));
    const dcsService = settings.dcs?.adapter === 'http' ? service(settings.dcs, 'site.dcs') : simulated('/dcs/v1');
    const bsm = pick(settings.baggageMessages, 'site.baggageMessages', '/bsm');
    // `adapter: site`: the site store keeps the tokens (the site module wires them, ./site-tokens.ts).
    const tokenStore = settings.biometricTokens;
    const tokens = tokenStore && 'adapter' in tokenStore ? undefined : pick(tokenStore, 'site.biometricTokens', '/tokens/v1');
    const door = pick(settings.door, 'site.door', '/egate/v1');
    const scale = settings.scale;
    return {
      ...(dcsService ? { dcs: httpDepartureControl(dcsService) } : {}),
      ...(bsm ? { baggage: httpBaggageMessages(bsm) } : {}),
      ...(tokens ? { tokens: httpBiometricTokens(tokens) } : {}),
      ...(door ? { door: httpDoor(door) } : {}),
      ...(scale === undefined
        ? {}
        : { scale: serialScale(scale.adapter === 'serial' ? { kind: 'device', path: scale.device } : scale.adapter === 'tcp' ? { kind: 'tcp', host: scale.host, port: scale.port } : { kind: 'tcp', ...sim!.scale }) }),
      simulatorUrls: sim ? { dcsUrl: sim.url } : {},
      close: async () => sim?.close(),
    };
  } catch (e) {
    await sim?.close();
    throw e;
  }
}
