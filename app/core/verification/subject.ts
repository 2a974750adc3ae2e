import { createHash, randomUUID } from 'node:crypto';
import { CONTRACT_VERSION, verificationRequest, type Dg13Fields, type FaceMatchResult, type VerificationRequest } from './contract.ts';
import { KioskError } from '../errors.ts';
import type { CccdDocument } from '../cccd/document.ts';
import { isoToVnDate, type Dg13 } from '../cccd/dg13.ts';
import type { PassiveAuthResult } from '../icao/passive-auth.ts';
import { VerificationInputError } from './errors.ts';

/**
 * What a chip read hands on to central verification: the document (DG13 as parsed once), EF.SOD
 * as read and passive authentication's result (the DSC). Held only in the journey session.
 */
export interface ChipEvidence {
  readonly document: CccdDocument;
  readonly sod: Uint8Array;
  readonly passiveAuth: PassiveAuthResult;
}

/**
 * What the journey knows about the person when it asks for a verdict (`verificationSubject` maps
 * the chip's evidence onto it); the contract's wire fields are derived here and nowhere else.
 */
export interface VerificationSubject {
  readonly idNumber: string;
  readonly dg13: Dg13Fields;
  /** Document Signer certificate (DER) and EF.SOD bytes, as read from the chip. */
  readonly dscCert: Uint8Array;
  readonly sod: Uint8Array;
  /** Data-group number → digest in the SOD's algorithm, as computed by passive authentication. */
  readonly dgHashes?: Readonly<Record<number, Uint8Array>>;
  /** Bio variant: the DG2 portrait and the live face-match result. */
  readonly portrait?: { readonly bytes: Uint8Array; readonly format: 'jpeg' | 'jpeg2000' };
  readonly faceMatch?: FaceMatchResult;
}

export interface BuildOptions {
  readonly terminalId: string;
  readonly variant: 'basic' | 'bio';
  /** Send SHA-256 of the DSC and SOD instead of the bytes (smaller; the service must know the card). */
  readonly evidence?: 'bytes' | 'hashes';
  readonly requestId?: string;
  readonly now?: Date;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function buildVerificationRequest(subject: VerificationSubject, opts: BuildOptions): VerificationRequest {
  if (subject.dg13.fullName.length === 0) throw new VerificationInputError('DG13 full name is empty', { field: 'dg13.fullName' });
  const bio = opts.variant === 'bio' ? bioPart(subject) : undefined;
  const hashes = opts.evidence === 'hashes';
  const dgHashes = subject.dgHashes
    ? Object.fromEntries(Object.entries(subject.dgHashes).map(([n, h]) => [n, Buffer.from(h).toString('hex')]))
    : undefined;
  const candidate = {
    version: CONTRACT_VERSION,
    requestId: opts.requestId ?? randomUUID(),
    terminalId: opts.terminalId,
    createdAt: (opts.now ?? new Date()).toISOString(),
    variant: opts.variant,
    idNumber: subject.idNumber,
    dg13: subject.dg13,
    document: {
      ...(hashes ? { dscCertSha256: sha256(subject.dscCert), sodSha256: sha256(subject.sod) } : { dscCert: b64(subject.dscCert), sod: b64(subject.sod) }),
      ...(dgHashes ? { dgHashes } : {}),
    },
    ...(bio ? { bio } : {}),
  };
  const parsed = verificationRequest.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // The message names the field, never its value (it may be personal data).
    throw new VerificationInputError(`verification request field ${issue.path.join('.') || '(root)'} is invalid: ${issue.message}`, {
      field: issue.path.join('.'),
    });
  }
  return parsed.data;
}

function bioPart(subject: VerificationSubject): NonNullable<VerificationRequest['bio']> {
  if (!subject.portrait) throw new VerificationInputError('the bio variant needs the chip portrait', { field: 'portrait' });
  if (!subject.faceMatch) throw new VerificationInputError('the bio variant needs the face-match result', { field: 'faceMatch' });
  return { portrait: b64(subject.portrait.bytes), portraitFormat: subject.portrait.format, faceMatch: subject.faceMatch };
}

/** The contract's DG13 fields from a parsed DG13 (field 13 holds father then mother). */
export function contractDg13(d: Dg13): Dg13Fields {
  if (!d.fullName) throw new VerificationInputError('DG13 has no full name (field 2)', { field: 'dg13.fullName' });
  if (!d.dateOfBirth) throw new VerificationInputError('DG13 has no date of birth (field 3)', { field: 'dg13.dateOfBirth' });
  const optional = {
    sex: d.sex,
    nationality: d.nationality,
    ethnicity: d.ethnicity,
    religion: d.religion,
    placeOfOrigin: d.placeOfOrigin,
    placeOfResidence: d.placeOfResidence,
    identifyingMarks: d.identifyingMarks,
    dateOfIssue: d.dateOfIssue,
    dateOfExpiry: d.dateOfExpiry,
    fatherName: d.parents[0],
    motherName: d.parents[1],
    oldIdNumber: d.oldIdNumber,
  };
  return {
    fullName: d.fullName,
    dateOfBirth: d.dateOfBirth,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined && v !== '')),
    ...(d.spouse.length > 0 ? { spouseNames: [...d.spouse] } : {}),
  };
}

/**
 * The chip's DG13 as the contract carries it (dates stay dd/mm/yyyy as on the chip). A document
 * without DG13 (a passport) offers only the MRZ name and birth date.
 */
export function documentDg13(document: CccdDocument): Dg13Fields {
  if (document.dg13) return contractDg13(document.dg13);
  return { fullName: document.fullName, dateOfBirth: document.dateOfBirth ? isoToVnDate(document.dateOfBirth) : '' };
}

/** The subject of a request: the chip's evidence, and the live face match against `threshold` when there was one. */
export function verificationSubject(evidence: ChipEvidence, face?: { readonly decision: string; readonly score: number; readonly threshold: number }): VerificationSubject {
  const { document, sod } = evidence;
  const dsc = evidence.passiveAuth.dscCertificate;
  if (!dsc) throw new KioskError('VERIFY_NO_EVIDENCE', 'the chip gave no Document Signer certificate');
  const portrait = document.portrait;
  return {
    idNumber: document.idNumber ?? document.documentNumber,
    dg13: documentDg13(document),
    dscCert: dsc,
    sod,
    ...(portrait ? { portrait: { bytes: portrait.bytes, format: portrait.format } } : {}),
    ...(face ? { faceMatch: { matched: face.decision === 'MATCH', score: Math.max(-1, Math.min(1, face.score)), threshold: face.threshold } } : {}),
  };
}
