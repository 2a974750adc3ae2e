/**
 * The airport's face tokens in the site store (`biometricTokens: { adapter: site }`), for an airport
 * without a biometric store of its own: every kiosk and gate of the site sees a token a check-in
 * kiosk registered (through the site hub, or the one store of a single kiosk). The template is
 * sealed with the airport's site key before it leaves the kiosk (AES-256-GCM, bound to the token,
 * flight, passenger and model), so the hub and its database hold no face they can read. A token goes
 * at its expiry (removed by the next kiosk that reads or sweeps the tokens) or on request.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { Sealer } from '../../../platform/store/sealing.ts';
import { tokenRegistrationSchema, type Token, type TokenRegistration } from '../common/contract.ts';
import { AirportError, type BiometricTokens } from '../common/ports.ts';

export const TOKEN_COLLECTION = 'airport-face-token';

/** A token as the site store keeps it: the registration with its template sealed (base64). */
const tokenBody = tokenRegistrationSchema.omit({ template: true }).extend({ sealed: z.base64() });
type TokenBody = z.infer<typeof tokenBody>;

/** The live, well-formed tokens of the store (what another kiosk wrote is checked, never trusted). */
function bodies(records: readonly { key: string; body: unknown }[]): { key: string; body: TokenBody }[] {
  return records.flatMap((r) => {
    const parsed = tokenBody.safeParse(r.body);
    return parsed.success ? [{ key: r.key, body: parsed.data }] : [];
  });
}

export interface SiteTokens extends BiometricTokens {
  /** Removes the tokens whose time is up; returns how many. */
  removeExpired(): Promise<number>;
}

export function siteTokens(store: SiteStore, siteKey: Buffer, clock: () => Date = () => new Date()): SiteTokens {
  const sealer = new Sealer(siteKey);
  const aad = (tokenId: string, t: Omit<TokenBody, 'sealed' | 'expiresAt'>) => Buffer.from([TOKEN_COLLECTION, tokenId, t.flightId, t.passengerId, t.modelSet].join('\u0000'), 'utf8');
  const expired = (t: TokenBody) => Date.parse(t.expiresAt) <= clock().getTime();
  const remove = async (tokenId: string) => void (await store.remove(TOKEN_COLLECTION, tokenId));

  return {
    async register(registration: TokenRegistration) {
      const parsed = tokenRegistrationSchema.safeParse(registration);
      if (!parsed.success) throw new AirportError('TOKEN_INVALID', `a face token: ${parsed.error.issues[0]!.path.join('.') || 'value'} is not valid`);
      const r = parsed.data;
      const tokenId = randomUUID();
      const sealed = sealer.seal(Buffer.from(r.template, 'base64'), aad(tokenId, r)).toString('base64');
      await store.put<TokenBody>(TOKEN_COLLECTION, tokenId, { flightId: r.flightId, passengerId: r.passengerId, modelSet: r.modelSet, expiresAt: r.expiresAt, sealed });
      return { tokenId };
    },

    delete: remove,

    async byFlight(flightId) {
      const tokens: Token[] = [];
      for (const { key, body } of bodies(await store.list(TOKEN_COLLECTION))) {
        if (body.flightId !== flightId || expired(body)) continue;
        // Sealed under another key, altered or moved to another token: not a face this site registered.
        const template = sealer.open(Buffer.from(body.sealed, 'base64'), aad(key, body));
        if (!template) continue;
        tokens.push({ tokenId: key, flightId: body.flightId, passengerId: body.passengerId, modelSet: body.modelSet, expiresAt: body.expiresAt, template: template.toString('base64') });
      }
      return tokens;
    },

    async removeExpired() {
      const due = bodies(await store.list(TOKEN_COLLECTION)).filter((r) => expired(r.body));
      for (const r of due) await remove(r.key);
      return due.length;
    },
  };
}
