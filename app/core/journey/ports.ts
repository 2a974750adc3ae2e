/**
 * What the journey needs from the outside world, as small ports. The host fills them with the real
 * adapters (chip reader, face pipeline, central verification, site back-ends, printer); tests fill
 * them with fakes. Personal data crosses these ports only as the typed values below.
 */
import type { CardKey } from '../cccd/card-key.ts';
import type { RgbImage } from '../face/rgb-image.ts';
import type { ChipEvidence } from '../verification/subject.ts';
import type { FaceGuidance, FaceOutcome, ReadSummary, VerificationOutcome } from './journey.ts';

/** The holder as the rest of the journey needs them. */
export interface Holder {
  readonly idNumber: string;
  readonly fullName: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  readonly sex: string;
  readonly placeOfResidence?: string;
}

export interface ChipReadOutcome {
  readonly summary: ReadSummary;
  readonly holder: Holder;
  /** The chip portrait, decoded once (only when the SOD signs it), for the face match and enrolment. */
  readonly portrait: RgbImage;
  /** What central verification needs of the read: the document, EF.SOD and the DSC. */
  readonly evidence: ChipEvidence;
}

export interface ChipReading {
  /** Resolves when a card is on the reader and read; rejects with a KioskError (CARD_REMOVED, ACCESS_DENIED_…). */
  read(key: CardKey, onProgress: (bytesRead: number, totalBytes: number) => void, signal: AbortSignal): Promise<ChipReadOutcome>;
}

/**
 * A face template (an embedding) and the model that made it: templates of different models are not
 * comparable, so a template never travels without its model id.
 */
export interface FaceTemplate {
  readonly model: string;
  readonly template: Float32Array;
}

/**
 * The face evidence a site may keep of a verified person (a biometric token, a visit's template, an
 * enrolment): the template of the PA-verified chip portrait and of the live capture that matched,
 * with the embedder's model id. Held in memory only, never logged, never sent to the screen; the
 * journey blanks it when the session ends.
 */
export interface VerifiedFace {
  readonly model: string;
  readonly chip?: Float32Array;
  readonly live?: Float32Array;
}

/**
 * Faces to search 1:N (the host's enrolled faces, or a site's own: a flight's passengers, a
 * factory's workers). The searcher scores; the journey decides with the thresholds.
 */
export interface FaceGallery {
  /** The embedder model of its templates (a live template of another model is never searched). */
  readonly model: string;
  /**
   * A stricter MATCH threshold than 1:1 for this gallery: false accepts grow with its size and the
   * attempts made. Never loosens the 1:1 threshold.
   */
  readonly matchThreshold?: number;
  /**
   * The best candidates for a live template (cosine similarity), best first, at most `limit`.
   * `frame`: the camera image the template came from, for a gallery that keeps evidence of an alarm
   * (a door's blocklist hit); never to be logged or kept beyond the site's retention.
   */
  search(live: Float32Array, limit: number, frame?: Uint8Array): Promise<readonly { readonly subjectId: string; readonly score: number }[]>;
}

/** 1:N: who among a gallery the live face is; `subjectId` only on MATCH. */
export interface FaceIdentifyOutcome extends FaceMatchOutcome {
  readonly subjectId?: string;
}

/** A face decision, and on MATCH the templates behind it. */
export interface FaceMatchOutcome extends FaceOutcome {
  readonly verified?: VerifiedFace;
}

export interface FaceMatching {
  /** Captures a short burst from the camera and matches it against the chip portrait. */
  match(portrait: RgbImage, onGuidance: (guidance: readonly FaceGuidance[]) => void, signal: AbortSignal): Promise<FaceMatchOutcome>;
  /**
   * The same capture and decision against one person's reference templates (a scanned code's face);
   * a template of another model fails with FACE_MODEL_MISMATCH. Absent: the kiosk cannot match codes.
   */
  matchReferences?(references: readonly FaceTemplate[], onGuidance: (guidance: readonly FaceGuidance[]) => void, signal: AbortSignal): Promise<FaceMatchOutcome>;
  /** Watches the camera until a face comes into view (true), or the signal ends the watch (false). */
  watch?(signal: AbortSignal): Promise<boolean>;
  /** Captures until a frame passes the quality gates and searches the gallery with it (1:N). */
  identify?(gallery: FaceGallery, onGuidance: (guidance: readonly FaceGuidance[]) => void, signal: AbortSignal): Promise<FaceIdentifyOutcome>;
}

export interface IdentityVerification {
  verify(read: ChipReadOutcome, face: FaceOutcome | undefined): Promise<VerificationOutcome>;
}

/** A printable, displayable receipt: the same raster on paper and on screen. */
export interface PrintedReceipt {
  readonly previewPng: Uint8Array;
  readonly printed: boolean;
  readonly printerProblem?: string;
}

/** Returning by face: 1:N among the site's enrolled people, and the enrolment itself (with consent). */
export interface FaceIdentification {
  /** Captures a short burst and searches the enrolled faces; the subject is the site's id for the person. */
  identify(onGuidance: (guidance: readonly FaceGuidance[]) => void, signal: AbortSignal): Promise<FaceIdentifyOutcome>;
  /** Enrols the chip portrait's face for the subject (the chip photo is the authoritative face). */
  enrol(subjectId: string, portrait: RgbImage): Promise<void>;
  /** Removes every template of the subject; returns how many. */
  remove(subjectId: string): Promise<number>;
}
