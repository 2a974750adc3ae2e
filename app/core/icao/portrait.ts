/**
 * The holder's portrait: the first face image of DG2, and the one way it reaches an image decoder
 * (`verifiedPortrait`: only when passive authentication found DG2 equal to what a valid SOD signs).
 */
import { parseDg2, type ImageFormat } from './lds/dg2.ts';
import type { PassiveAuthResult } from './passive-auth.ts';

export interface Portrait {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly bytes: Uint8Array;
}

/** The first face image of DG2 (typed ParseErrors propagate), or undefined when it holds none. */
export function portraitOf(dg2: Uint8Array): Portrait | undefined {
  const face = parseDg2(dg2).faces[0];
  return face ? { format: face.format, width: face.width, height: face.height, bytes: face.image } : undefined;
}

declare const VERIFIED: unique symbol;

/** A portrait whose DG2 hashes to the value a verifying SOD signature covers: the only kind the platform decodes. */
export type VerifiedPortrait = Portrait & { readonly [VERIFIED]: true };

/**
 * The portrait, once passive authentication found DG2 equal to what the SOD signs (and the SOD
 * signature itself verified); undefined otherwise. Image decoders are attack surface: bytes that
 * nobody signed never reach them. (A forger with a DSC of their own can still sign a hostile
 * image; the decoders cap the declared dimensions for that.)
 */
export function verifiedPortrait(r: { readonly document: { readonly portrait?: Portrait }; readonly passiveAuth: PassiveAuthResult }): VerifiedPortrait | undefined {
  const dg2 = r.passiveAuth.dataGroups.find((d) => d.dg === 2);
  if (!r.document.portrait || dg2?.status !== 'ok' || r.passiveAuth.verdict === 'PA_SIGNATURE_INVALID') return undefined;
  return r.document.portrait as VerifiedPortrait;
}
