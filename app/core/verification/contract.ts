import { z } from 'zod';

/**
 * The kiosk ↔ central verification (RAR) contract: ONE schema for what the kiosk asks and what the
 * service answers. Gateway adapters (json-protocol.ts, envelope.ts) translate it to a wire shape;
 * nothing else defines these fields. Prose version: docs/verification-protocol.md.
 */

export const CONTRACT_VERSION = '1' as const;

const base64 = z.string().min(1).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');
const hashHex = z.string().regex(/^[0-9a-f]{40,128}$/, 'lower-case hex digest');
const ddmmyyyy = z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/, 'dd/mm/yyyy');
const isoTimestamp = z.iso.datetime({ offset: true });

/** The 12-digit personal identification number (số định danh cá nhân). */
export const idNumber = z.string().regex(/^\d{12}$/, '12 digits');

/** DG13 fields as read from the chip (reference §1.2); text exactly as on the chip. */
export const dg13Fields = z
  .object({
    fullName: z.string().min(1),
    dateOfBirth: ddmmyyyy,
    sex: z.string().optional(),
    nationality: z.string().optional(),
    ethnicity: z.string().optional(),
    religion: z.string().optional(),
    placeOfOrigin: z.string().optional(),
    placeOfResidence: z.string().optional(),
    identifyingMarks: z.string().optional(),
    dateOfIssue: ddmmyyyy.optional(),
    /** UTF8String on the chip: a date or text such as "Không thời hạn". */
    dateOfExpiry: z.string().optional(),
    fatherName: z.string().optional(),
    motherName: z.string().optional(),
    spouseNames: z.array(z.string()).optional(),
    oldIdNumber: z.string().optional(),
  })
  .strict();
export type Dg13Fields = z.infer<typeof dg13Fields>;

/**
 * The chip's security objects. Either the bytes (the service then checks the DSC against its CSCA
 * store and the SOD signature) or their SHA-256 (the service compares them with what it issued).
 * dgHashes are the data-group digests the kiosk computed, in the SOD's digest algorithm.
 */
export const documentEvidence = z
  .object({
    dscCert: base64.optional(),
    dscCertSha256: sha256Hex.optional(),
    sod: base64.optional(),
    sodSha256: sha256Hex.optional(),
    dgHashes: z.record(z.string().regex(/^([1-9]|1[0-6])$/, 'data-group number 1..16'), hashHex).optional(),
  })
  .strict()
  .refine((d) => d.dscCert !== undefined || d.dscCertSha256 !== undefined, { message: 'dscCert or dscCertSha256 is required' })
  .refine((d) => d.sod !== undefined || d.sodSha256 !== undefined, { message: 'sod or sodSha256 is required' })
  // The DSC bytes are checked as the SOD's signer, so they travel together.
  .refine((d) => (d.dscCert !== undefined) === (d.sod !== undefined), { message: 'dscCert and sod are sent together (or both as hashes)' });
export type DocumentEvidence = z.infer<typeof documentEvidence>;

export const faceMatchResult = z
  .object({
    matched: z.boolean(),
    score: z.number().min(-1).max(1),
    threshold: z.number().min(-1).max(1),
    model: z.string().min(1).max(64).optional(),
  })
  .strict();
export type FaceMatchResult = z.infer<typeof faceMatchResult>;

export const bioEvidence = z
  .object({
    /** DG2 face image bytes as on the chip. */
    portrait: base64,
    portraitFormat: z.enum(['jpeg', 'jpeg2000']),
    faceMatch: faceMatchResult,
  })
  .strict();

export const verificationRequest = z
  .object({
    version: z.literal(CONTRACT_VERSION),
    /** UUID chosen once per verification; retries and outbox deliveries reuse it (idempotency key). */
    requestId: z.uuid(),
    terminalId: z.string().min(1).max(64),
    createdAt: isoTimestamp,
    variant: z.enum(['basic', 'bio']),
    idNumber,
    dg13: dg13Fields,
    document: documentEvidence,
    bio: bioEvidence.optional(),
  })
  .strict()
  .refine((r) => (r.variant === 'bio') === (r.bio !== undefined), { message: 'the bio variant carries bio evidence, the basic variant none', path: ['bio'] });
export type VerificationRequest = z.infer<typeof verificationRequest>;

export const VERDICTS = ['VERIFIED', 'NOT_FOUND', 'MISMATCH', 'REVOKED', 'EXPIRED'] as const;
export const verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof verdict>;

/** Signed by the service; the signature covers the exact bytes of this object as sent. */
export const verificationResponse = z
  .object({
    version: z.literal(CONTRACT_VERSION),
    requestId: z.uuid(),
    verdict,
    /** Machine codes explaining a non-VERIFIED verdict (e.g. DSC_UNTRUSTED, FIELD_MISMATCH:fullName). */
    reasons: z.array(z.string().regex(/^[A-Z0-9_:a-zA-Z]+$/).max(64)).max(32).default([]),
    transactionCode: z.string().min(1).max(64),
    respondedAt: isoTimestamp,
  })
  .strict();
export type VerificationResponse = z.infer<typeof verificationResponse>;

/** A response whose signature, request-id echo and timestamp window have been checked. */
export interface VerifiedResponse {
  readonly response: VerificationResponse;
  /** The exact signed bytes and signature, kept so the verdict can be re-proven later. */
  readonly signedBytes: Buffer;
  readonly signature: Buffer;
}
