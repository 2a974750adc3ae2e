import { createHash } from 'node:crypto';
import type { Verdict, VerificationRequest } from '../../core/verification/contract.ts';
import { parseSod } from '../../core/icao/lds/sod.ts';
import { verifyPassive, type TrustStore } from '../../core/icao/passive-auth.ts';
import type { Citizen } from './registry.ts';

/**
 * How the reference service reaches a verdict. Order matters: evidence that the document itself
 * is not genuine wins over everything (MISMATCH), then identity (NOT_FOUND, field MISMATCH),
 * then card status (REVOKED, EXPIRED), then the bio check.
 */
export interface DecideContext {
  /** The service's CSCA store (and CRLs) for passive authentication of the SOD it receives. */
  readonly trust: TrustStore;
  readonly now: Date;
  readonly citizen: Citizen | undefined;
  readonly revoked: boolean;
  /** Passive-authentication outcomes by SOD SHA-256 (PA costs tens of ms; a card is verified again and again). */
  readonly paCache?: PaCache;
}

export interface PaOutcome {
  readonly at: number;
  readonly reasons: readonly string[];
  readonly signerSha256?: string;
  readonly signedHashes: ReadonlyMap<number, string>;
}

/** Bounded, short-lived: a DSC revoked by a new CRL is noticed within the TTL. */
export class PaCache {
  private readonly map = new Map<string, PaOutcome>();
  constructor(private readonly ttlMs = 5 * 60_000, private readonly max = 10_000) {}
  get(key: string, now: number): PaOutcome | undefined {
    const hit = this.map.get(key);
    return hit && now - hit.at < this.ttlMs ? hit : undefined;
  }
  set(key: string, v: PaOutcome): void {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, v);
  }
}

function passiveAuth(sod: Buffer, sodSha256: string, ctx: DecideContext): PaOutcome {
  const hit = ctx.paCache?.get(sodSha256, ctx.now.getTime());
  if (hit) return hit;
  const pa = verifyPassive({ sod, dataGroups: new Map(), trust: ctx.trust, now: ctx.now });
  const signedHashes = new Map<number, string>();
  if (pa.verdict === 'PA_OK') for (const [n, h] of parseSod(sod).ldsSecurityObject.dataGroupHashes) signedHashes.set(n, Buffer.from(h).toString('hex'));
  const out: PaOutcome = {
    at: ctx.now.getTime(),
    reasons: pa.verdict === 'PA_OK' ? [] : pa.reasons.length > 0 ? [...pa.reasons] : [pa.verdict],
    ...(pa.dscCertificate ? { signerSha256: sha256(pa.dscCertificate) } : {}),
    signedHashes,
  };
  ctx.paCache?.set(sodSha256, out);
  return out;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export function evidenceHashes(r: VerificationRequest): { dsc?: string; sod?: string } {
  return {
    dsc: r.document.dscCertSha256 ?? (r.document.dscCert ? sha256(Buffer.from(r.document.dscCert, 'base64')) : undefined),
    sod: r.document.sodSha256 ?? (r.document.sod ? sha256(Buffer.from(r.document.sod, 'base64')) : undefined),
  };
}

/**
 * With the bytes: passive authentication of the SOD (signature, DSC chain to the CSCA store, CRLs),
 * the DSC sent must be the SOD's signer, and the DG hashes the kiosk computed must be the signed ones.
 * With hashes only: the registry must know the card and its DSC/SOD hashes must match.
 */
export function documentReasons(r: VerificationRequest, ctx: DecideContext): string[] {
  const reasons: string[] = [];
  const h = evidenceHashes(r);
  if (r.document.sod) {
    const pa = passiveAuth(Buffer.from(r.document.sod, 'base64'), h.sod!, ctx);
    if (pa.reasons.length > 0) return [...pa.reasons];
    if (pa.signerSha256 && h.dsc !== pa.signerSha256) reasons.push('DSC_NOT_SOD_SIGNER');
    for (const [n, hex] of Object.entries(r.document.dgHashes ?? {})) {
      const expected = pa.signedHashes.get(Number(n));
      if (!expected) reasons.push(`DG${n}_NOT_IN_SOD`);
      else if (expected !== hex) reasons.push(`DG${n}_HASH_MISMATCH`);
    }
  } else if (ctx.citizen && (!ctx.citizen.dscSha256 || !ctx.citizen.sodSha256)) {
    reasons.push('CARD_UNKNOWN_TO_REGISTRY');
  }
  // The registry knows which chip it issued (when it does): evidence of another chip is a mismatch.
  if (ctx.citizen?.dscSha256 && h.dsc !== ctx.citizen.dscSha256) reasons.push('DSC_NOT_ISSUED_TO_CARD');
  if (ctx.citizen?.sodSha256 && h.sod !== ctx.citizen.sodSha256) reasons.push('SOD_NOT_ISSUED_TO_CARD');
  return reasons;
}

const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');

function parseDdMmYyyy(s: string): Date | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  return m ? new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), 23, 59, 59)) : undefined;
}

export function decide(r: VerificationRequest, ctx: DecideContext): { verdict: Verdict; reasons: string[] } {
  const doc = documentReasons(r, ctx);
  if (doc.length > 0) return { verdict: 'MISMATCH', reasons: doc };
  const c = ctx.citizen;
  if (!c) return { verdict: 'NOT_FOUND', reasons: [] };
  const fields: [string, string | undefined, string | undefined][] = [
    ['fullName', r.dg13.fullName, c.fullName],
    ['dateOfBirth', r.dg13.dateOfBirth, c.dateOfBirth],
    ['sex', r.dg13.sex, c.sex],
    ['dateOfExpiry', r.dg13.dateOfExpiry, c.dateOfExpiry],
  ];
  const mismatched = fields.filter(([, sent, known]) => sent !== undefined && known !== undefined && norm(sent) !== norm(known));
  if (mismatched.length > 0) return { verdict: 'MISMATCH', reasons: mismatched.map(([f]) => `FIELD_MISMATCH:${f}`) };
  if (ctx.revoked) return { verdict: 'REVOKED', reasons: [] };
  const expiry = c.dateOfExpiry ? parseDdMmYyyy(c.dateOfExpiry) : undefined;
  if (expiry && expiry < ctx.now) return { verdict: 'EXPIRED', reasons: [] };
  if (r.variant === 'bio' && r.bio && !r.bio.faceMatch.matched) return { verdict: 'MISMATCH', reasons: ['FACE_NOT_MATCHED'] };
  return { verdict: 'VERIFIED', reasons: [] };
}
