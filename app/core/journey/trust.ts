/**
 * The one trust decision of the kiosk: given what the chip proved (passive authentication, the
 * clone check, the kind of document its signed data names) and what the central service answered
 * for this visit, does the person go on, go to staff, or is the card refused? The journey and
 * `cccd-kiosk read --profile` both call `trustDecision`; docs/security.md tabulates it, and a test
 * holds the table to this code.
 *
 * The rule: a card is trusted when its signer chains to a CSCA the kiosk holds (PA_OK), or, where
 * the site allows it, when its signer is unknown here (PA_NO_TRUST_ANCHOR) **and** the central
 * service answered VERIFIED for this very visit. VERIFIED only ever comes from a signed answer
 * received online (a queued request is PENDING), so no missing answer can upgrade an unanchored card.
 */
import type { VerificationOutcome } from '../verification/policy.ts';

export type { VerificationOutcome };

/** A Vietnamese chip ID card (CCCD / Căn cước), or any other ICAO 9303 document (passport…). */
export type DocumentType = 'cccd' | 'icao';

export interface ReadSummary {
  /** Passive authentication verdict (PA_OK, PA_NO_TRUST_ANCHOR, PA_HASH_MISMATCH, ...). */
  readonly passiveAuth: string;
  /** Clone check verdict (CHIP_GENUINE, CHIP_CLONE_SUSPECTED, CHIP_NOT_CHECKED). */
  readonly chipAuth: string;
  /** How the chip was opened (PACE-CAN, PACE-MRZ, BAC). */
  readonly accessMethod: string;
  /** Decided from signed data only (documentTypeOf). */
  readonly documentType: DocumentType;
  /** Why PACE was offered but not used (e.g. PACE_REFUSED): the chip was opened with BAC instead. */
  readonly paceFallback?: string;
}

/** How the site asks the central service: not at all, or with its offline policy. */
export type CentralMode = 'none' | 'require-online' | 'allow-offline' | 'deny';

export interface TrustPolicy {
  /** PA_NO_TRUST_ANCHOR may go on, but only on the central service's online VERIFIED for this visit. */
  readonly acceptUnanchoredSigner: boolean;
  /** Document types whose chip must prove itself genuine (CHIP_GENUINE) to go on. */
  readonly requireChipGenuine: readonly DocumentType[];
  readonly central: CentralMode;
}

/** go-on: the journey continues; staff: the kiosk cannot decide, a person helps; refuse: evidence against the card. */
export type TrustAction = 'go-on' | 'staff' | 'refuse';

export interface TrustDecision {
  readonly accepted: boolean;
  /** Why: a stable code the UI translates and the audit keeps. */
  readonly code: string;
  readonly action: TrustAction;
  /** Asking the central service again may change the answer (it was unreachable). */
  readonly retryable: boolean;
}

/** Central verdicts that are the service's finding against the card or person. */
const CENTRAL_REFUSALS = ['MISMATCH', 'NOT_FOUND', 'REVOKED', 'EXPIRED', 'DENIED'];
/** The passive-auth verdicts that are not evidence of forgery. */
const PA_INTACT = ['PA_OK', 'PA_NO_TRUST_ANCHOR'];

const goOn = (code: string): TrustDecision => ({ accepted: true, code, action: 'go-on', retryable: false });
const staff = (code: string, retryable = false): TrustDecision => ({ accepted: false, code, action: 'staff', retryable });
const refuse = (code: string): TrustDecision => ({ accepted: false, code, action: 'refuse', retryable: false });

/**
 * The part of the decision that needs no central answer: forged data, a clone, a chip that had to
 * prove itself and did not, or an unanchored card the site can never accept. The journey stops here
 * before the face step; undefined means "ask the central service".
 */
export function readDecision(summary: ReadSummary, policy: TrustPolicy): TrustDecision | undefined {
  if (!PA_INTACT.includes(summary.passiveAuth)) return refuse(summary.passiveAuth);
  if (summary.chipAuth === 'CHIP_CLONE_SUSPECTED') return refuse('CHIP_CLONE_SUSPECTED');
  // Signed data says what the document is; a CCCD chip carries CA/AA keys, so a chip that did not
  // prove itself may be a copy. Staff can look at the card; the kiosk cannot.
  if (policy.requireChipGenuine.includes(summary.documentType) && summary.chipAuth !== 'CHIP_GENUINE') return staff('CHIP_GENUINE_REQUIRED');
  if (summary.passiveAuth === 'PA_NO_TRUST_ANCHOR') {
    if (!policy.acceptUnanchoredSigner) return staff('PA_NO_TRUST_ANCHOR');
    if (policy.central === 'none') return staff('UNANCHORED_NO_CENTRAL');
  }
  return undefined;
}

/** The whole decision, once the central service was asked (or was not configured: NOT_CONFIGURED). */
export function trustDecision(summary: ReadSummary, verification: VerificationOutcome, policy: TrustPolicy): TrustDecision {
  const early = readDecision(summary, policy);
  if (early) return early;
  const { verdict } = verification;
  const anchored = summary.passiveAuth === 'PA_OK';
  if (verdict === 'VERIFIED') return goOn(anchored ? 'TRUSTED_VERIFIED' : 'TRUSTED_BY_CENTRAL');
  if (CENTRAL_REFUSALS.includes(verdict)) return refuse(`VERIFY_${verdict}`);
  const offline = verdict === 'PENDING' || verdict === 'UNAVAILABLE';
  if (!anchored) {
    // No answer for a card the kiosk could not anchor: never on, whatever the offline policy says.
    if (offline) return staff('UNANCHORED_CENTRAL_OFFLINE', true);
    return staff(verdict === 'NOT_CONFIGURED' ? 'UNANCHORED_NO_CENTRAL' : `VERIFY_${verdict}`);
  }
  if (verdict === 'PENDING' && policy.central === 'allow-offline') return goOn('TRUSTED_PENDING_CENTRAL');
  if (verdict === 'NOT_CONFIGURED' && policy.central === 'none') return goOn('TRUSTED_NO_CENTRAL');
  if (verdict === 'UNAVAILABLE') return staff('VERIFY_UNAVAILABLE', true);
  return staff(`VERIFY_${verdict}`);
}

/**
 * Which kind of document the chip's signed data describes. A CCCD when the SOD hashes a DG13 (the
 * Vietnamese eID data group), or when DG1's MRZ names an identity card (document code I…) issued by
 * VNM. Either signal alone suffices: both sit under the SOD's signature, so a chip cannot shed the
 * stricter CCCD rules by not answering for DG13.
 */
export function documentTypeOf(signed: { readonly documentCode: string; readonly issuingState: string; readonly sodDataGroups: readonly number[] }): DocumentType {
  if (signed.sodDataGroups.includes(13)) return 'cccd';
  return signed.issuingState === 'VNM' && signed.documentCode.startsWith('I') ? 'cccd' : 'icao';
}
