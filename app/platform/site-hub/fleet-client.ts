import { fleetAnswer, type FleetAnswer } from '../../core/fleet/fleet.ts';
import { KioskError } from '../../core/errors.ts';
import { RarError } from '../../core/verification/errors.ts';
import { HttpsTransport } from '../rar/transport.ts';
import type { HubEndpoint } from '../store/site-store/hub-client.ts';

/**
 * The kiosk's read of the site's fleet (`GET /v1/fleet`) for the staff screen, with the kiosk's own
 * certificate, from the first hub that answers. A read is safe to repeat, so a hub that cannot be
 * reached or whose database is down is skipped for the next.
 */
export class FleetReader {
  private readonly transports: HttpsTransport[];

  constructor(endpoint: HubEndpoint, timeoutMs: number) {
    this.transports = endpoint.urls.map((url) => new HttpsTransport({ ...endpoint, url, connectTimeoutMs: timeoutMs, responseTimeoutMs: timeoutMs, maxSockets: 1 }));
  }

  /** The hub's answer, checked; FLEET_UNAVAILABLE naming why when no hub gave one. */
  async read(): Promise<FleetAnswer> {
    const why: string[] = [];
    for (const t of this.transports) {
      try {
        const res = await t.send({ method: 'GET', path: '/v1/fleet', headers: { accept: 'application/json' } });
        if (res.status !== 200) {
          why.push(`hub answered ${res.status}`);
          continue;
        }
        const parsed = fleetAnswer.safeParse(parseJson(res.body));
        if (parsed.success) return parsed.data;
        why.push('hub answer is not a fleet view');
      } catch (e) {
        if (!(e instanceof RarError)) throw e;
        why.push(e.code);
      }
    }
    throw new KioskError('FLEET_UNAVAILABLE', `no site hub gave the fleet view (${why.join('; ')})`);
  }

  close(): void {
    for (const t of this.transports) t.close();
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
