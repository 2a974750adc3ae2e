import { createHash, X509Certificate } from 'node:crypto';
import type { Verdict, VerificationRequest } from '../../core/verification/contract.ts';
import type { Citizen } from './registry.ts';

/**
 * How the reference service reaches a verdict. Order matters: evidence that the document itself
 * is not genuine wins over everything (MISMATCH), then identity (NOT_FOUND, field MISMATCH),
 * then card status (REVOKED, EXPIRED), then the bio check.
 */

/** Checks an EF.SOD against the DSC and the data-group hashes the kiosk sent; returns reason codes. */
export type SodVerifier = (sod: Buffer, dsc: X509Certificate | undefined, dgHashes: Readonly<Record<string, string>>) => string[];

export interface DecideContext {
  readonly cscas: readonly X509Certificate[];
  readonly now: Date;
  readonly citizen: Citizen | undefined;
  readonly revoked: boolean;
  readonly sodVerifier?: SodVerifier;
  /** DSC DER SHA-256 → chain-check reasons: one Document Signer signs many cards, so check it once. */
  readonly dscCache?: Map<string, { dsc: X509Certificate | undefined; reasons: string[] }>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function evidenceHashes(r: VerificationRequest): { dsc?: string; sod?: string } {
  return {
    dsc: r.document.dscCertSha256 ?? (r.document.dscCert ? sha256(Buffer.from(r.document.dscCert, 'base64')) : undefined),
    sod: r.document.sodSha256 ?? (r.document.sod ? sha256(Buffer.from(r.document.sod, 'base64')) : undefined),
  };
}

function documentReasons(r: VerificationRequest, ctx: DecideContext): string[] {
  const reasons: string[] = [];
  let dsc: X509Certificate | undefined;
  if (r.document.dscCert) {
    const der = Buffer.from(r.document.dscCert, 'base64');
    const key = sha256(der);
    let checked = ctx.dscCache?.get(key);
    if (!checked) {
      checked = checkDsc(der, ctx);
      if (ctx.dscCache && ctx.dscCache.size < 10_000) ctx.dscCache.set(key, checked);
    }
    if (checked.reasons.includes('DSC_MALFORMED')) return checked.reasons;
    dsc = checked.dsc;
    reasons.push(...checked.reasons);
    if (dsc && (ctx.now < new Date(dsc.validFrom) || ctx.now > new Date(dsc.validTo))) reasons.push('DSC_OUT_OF_VALIDITY');
  }
  if (r.document.sod && ctx.sodVerifier) {
    reasons.push(...ctx.sodVerifier(Buffer.from(r.document.sod, 'base64'), dsc, r.document.dgHashes ?? {}));
  }
  // The registry knows which chip it issued: evidence for another chip is a mismatch.
  const h = evidenceHashes(r);
  if (ctx.citizen?.dscSha256 && h.dsc !== ctx.citizen.dscSha256) reasons.push('DSC_NOT_ISSUED_TO_CARD');
  if (ctx.citizen?.sodSha256 && h.sod !== ctx.citizen.sodSha256) reasons.push('SOD_NOT_ISSUED_TO_CARD');
  // With hashes only, the registry must know the card to vouch for it.
  if (!r.document.dscCert && !ctx.citizen?.dscSha256 && ctx.citizen) reasons.push('DSC_UNKNOWN');
  return reasons;
}

function checkDsc(der: Buffer, ctx: DecideContext): { dsc: X509Certificate | undefined; reasons: string[] } {
  let dsc: X509Certificate;
  try {
    dsc = new X509Certificate(der);
  } catch {
    return { dsc: undefined, reasons: ['DSC_MALFORMED'] };
  }
  const trusted = ctx.cscas.some((ca) => dsc.checkIssued(ca) && dsc.verify(ca.publicKey));
  return { dsc, reasons: trusted ? [] : ['DSC_UNTRUSTED'] };
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
  {
    const fields: [string, string | undefined, string | undefined][] = [
      ['fullName', r.dg13.fullName, c.fullName],
      ['dateOfBirth', r.dg13.dateOfBirth, c.dateOfBirth],
      ['sex', r.dg13.sex, c.sex],
      ['dateOfExpiry', r.dg13.dateOfExpiry, c.dateOfExpiry],
    ];
    const mismatched = fields.filter(([, sent, known]) => sent !== undefined && known !== undefined && norm(sent) !== norm(known));
    if (mismatched.length > 0) return { verdict: 'MISMATCH', reasons: mismatched.map(([f]) => `FIELD_MISMATCH:${f}`) };
  }
  if (ctx.revoked) return { verdict: 'REVOKED', reasons: [] };
  const expiry = c.dateOfExpiry ? parseDdMmYyyy(c.dateOfExpiry) : undefined;
  if (expiry && expiry < ctx.now) return { verdict: 'EXPIRED', reasons: [] };
  if (r.variant === 'bio' && r.bio && !r.bio.faceMatch.matched) return { verdict: 'MISMATCH', reasons: ['FACE_NOT_MATCHED'] };
  return { verdict: 'VERIFIED', reasons: [] };
}
