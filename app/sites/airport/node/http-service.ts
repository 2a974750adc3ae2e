/**
 * One of the airport's HTTP services (the airline's DCS, the baggage system's inbox, the token
 * store, an e-gate), as the adapters call it: JSON both ways, a deadline, a bearer token, and every
 * answer parsed with its contract schema. What goes wrong comes back as an AirportError whose code
 * starts with the service's prefix: `<P>_UNAVAILABLE` (timeout, no route), `<P>_BAD_ANSWER` (not
 * the contract), `<P>_UNAUTHORIZED`, or the service's own problem code when it refused.
 */
import type { z } from 'zod';
import { HttpFailure, requestJson } from '../../../platform/http/http-json.ts';
import { problemSchema } from '../common/contract.ts';
import { AirportError } from '../common/ports.ts';

export interface ServiceOptions {
  /** Base URL of the service (no trailing slash needed). */
  readonly url: string;
  /** The Authorization header's value, from the profile's secret. */
  readonly authorization?: string;
  readonly timeoutMs: number;
}

export type Prefix = 'DCS' | 'BSM' | 'TOKEN' | 'EGATE';

export interface HttpService {
  call<T extends z.ZodType>(method: 'GET' | 'POST' | 'DELETE', path: string, answer: T, body?: unknown): Promise<z.output<T>>;
}

export function httpService(prefix: Prefix, options: ServiceOptions): HttpService {
  const base = options.url.replace(/\/+$/, '');
  return {
    async call(method, path, answer, body) {
      let res;
      try {
        res = await requestJson(`${base}${path}`, {
          method,
          ...(body === undefined ? {} : { body }),
          ...(options.authorization ? { headers: { authorization: options.authorization } } : {}),
          timeoutMs: options.timeoutMs,
        });
      } catch (e) {
        if (e instanceof HttpFailure && e.kind === 'not-json') throw new AirportError(`${prefix}_BAD_ANSWER`, e.message);
        if (e instanceof HttpFailure) throw new AirportError(`${prefix}_UNAVAILABLE`, e.message);
        throw e;
      }
      if (res.status === 401 || res.status === 403) throw new AirportError(`${prefix}_UNAUTHORIZED`, `the service refused the kiosk's credentials (HTTP ${res.status})`);
      if (res.status >= 400) {
        const p = problemSchema.safeParse(res.body);
        // Its own code when it names one in our family; a 5xx is the service being down.
        if (res.status >= 500) throw new AirportError(`${prefix}_UNAVAILABLE`, `HTTP ${res.status}${p.success ? `: ${p.data.code}` : ''}`);
        if (p.success && p.data.code.startsWith(`${prefix}_`)) throw new AirportError(p.data.code, p.data.message);
        throw new AirportError(`${prefix}_REFUSED`, `HTTP ${res.status}${p.success ? `: ${p.data.code}` : ''}`);
      }
      const parsed = answer.safeParse(res.body);
      if (!parsed.success) {
        const where = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(body)').join(', ');
        throw new AirportError(`${prefix}_BAD_ANSWER`, `the answer to ${method} ${path.split('?')[0]} does not fit the contract at ${where}`);
      }
      return parsed.data;
    },
  };
}

/** A path segment from an id the service gave us (ids are checked by the contract, but never trust a path). */
export const seg = (id: string) => encodeURIComponent(id);
