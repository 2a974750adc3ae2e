/**
 * The visitor pass's QR: who may pass (the visitor's person key and invitation), from when until
 * when, at which site, signed with the site's pass key (HMAC-SHA256). A code is data from outside:
 * it is read only after its length and signature check, and an unsigned or altered code is never
 * trusted. The signature says the site issued it; the door still checks the invitation's state in
 * the store (checked out or cancelled passes stop working before their window ends).
 *
 * Form: `GV1.<payload>.<signature>`, both base64url; the payload is JSON {s, i, p, f, u} with the
 * times in seconds since 1970.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const PREFIX = 'GV1';
/** Long enough for any pass this site issues, short enough to refuse junk before any work. */
export const MAX_PASS_CODE = 400;

export interface VisitorPass {
  readonly site: string;
  readonly invitation: string;
  readonly visitor: string;
  readonly from: Date;
  readonly until: Date;
}

export type PassProblem = 'PASS_MALFORMED' | 'PASS_SIGNATURE_INVALID' | 'PASS_OTHER_SITE' | 'PASS_NOT_YET_VALID' | 'PASS_EXPIRED';

const payload = z
  .object({ s: z.string().min(1).max(64), i: z.string().min(1).max(64), p: z.string().min(1).max(64), f: z.number().int(), u: z.number().int() })
  .strict();

const mac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

export function signPass(key: Buffer, pass: VisitorPass): string {
  const body = Buffer.from(
    JSON.stringify({ s: pass.site, i: pass.invitation, p: pass.visitor, f: Math.floor(pass.from.getTime() / 1000), u: Math.ceil(pass.until.getTime() / 1000) }),
  ).toString('base64url');
  const signed = `${PREFIX}.${body}`;
  return `${signed}.${mac(key, signed).toString('base64url')}`;
}

/** Whether the text looks like one of our passes at all (a scanned code may be anything). */
export function isPassCode(text: string): boolean {
  return text.length <= MAX_PASS_CODE && text.startsWith(`${PREFIX}.`);
}

export function verifyPass(key: Buffer, code: string, site: string, now: Date): { ok: true; pass: VisitorPass } | { ok: false; problem: PassProblem } {
  const fail = (problem: PassProblem) => ({ ok: false as const, problem });
  if (!isPassCode(code)) return fail('PASS_MALFORMED');
  const parts = code.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1]!) || !/^[A-Za-z0-9_-]{43}$/.test(parts[2]!)) return fail('PASS_MALFORMED');
  const expected = mac(key, `${parts[0]}.${parts[1]}`);
  if (!timingSafeEqual(expected, Buffer.from(parts[2]!, 'base64url'))) return fail('PASS_SIGNATURE_INVALID');
  let parsed: z.infer<typeof payload>;
  try {
    parsed = payload.parse(JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')));
  } catch {
    return fail('PASS_MALFORMED'); // signed by us yet unreadable: never issued by this code
  }
  if (parsed.s !== site) return fail('PASS_OTHER_SITE');
  const t = now.getTime() / 1000;
  if (t < parsed.f) return fail('PASS_NOT_YET_VALID');
  if (t >= parsed.u) return fail('PASS_EXPIRED');
  return { ok: true, pass: { site: parsed.s, invitation: parsed.i, visitor: parsed.p, from: new Date(parsed.f * 1000), until: new Date(parsed.u * 1000) } };
}
