/**
 * The site's own steps in the middle of the journey (hospital: department, insurance, queue number;
 * airport: booking, seat, bags; gate: purpose, host). A site flow is a small conversation: it shows
 * a view, the person acts, it answers with the next view, until it hands back a receipt to print.
 */
import type { FaceOutcome } from './journey.ts';
import type { FaceTemplate, Holder, PrintedReceipt, VerifiedFace } from './ports.ts';

export type { FaceTemplate, VerifiedFace };

/** What was proven about the person before the site's steps, as verdict codes. */
export interface SiteEvidence {
  /**
   * How the person was identified: their card's chip, their face among enrolled people, or a code
   * the site issued (a ticket, a pass) with their face matched 1:1 to the code's reference face.
   */
  readonly by: 'card' | 'face' | 'code';
  /** PA_OK, PA_NO_TRUST_ANCHOR, … or NOT_RUN (face path). */
  readonly passiveAuth: string;
  /** CHIP_GENUINE, CHIP_NOT_CHECKED, … or NOT_RUN. */
  readonly chipAuth: string;
  /** VERIFIED, PENDING (queued offline), … or NOT_RUN. */
  readonly central: string;
  /** The central request's id: a visit registered while PENDING is settled by it when the verdict comes. */
  readonly centralRequestId?: string;
  readonly face?: FaceOutcome;
}

export interface SiteContext {
  readonly holder: Holder;
  readonly evidence: SiteEvidence;
  readonly language: 'vi' | 'en';
  /** The templates of the face the journey matched (absent when no face step ran or matched). */
  readonly face?: VerifiedFace;
  /** What the person chose on the welcome screen, among the site's declared purposes. */
  readonly purpose?: string;
}

/** What a site screen shows: a named step and the data it needs (validated by the site's own schema). */
export interface SiteView {
  readonly siteStep: string;
  readonly data: Record<string, unknown>;
}

/**
 * The ticket as the screen shows it: the printed ticket's facts, not its raster, so the screen can
 * set them large, in the person's language and the site's time zone.
 */
export interface ScreenTicket {
  /** The number the person waits with (a queue number), if the site gives one. */
  readonly number?: string;
  /** Where to go, in both languages (e.g. the clinic). */
  readonly place?: { readonly vi: string; readonly en: string };
  /** The room or desk, as signposted. */
  readonly room?: string;
  /** Whose ticket it is: the name and birth year, as on the paper. */
  readonly name: string;
  readonly birthYear?: number;
  /** When the ticket was issued (ISO 8601 instant). */
  readonly issuedAt: string;
  /** The text of the ticket's QR (the visit's id), for staff scanners. */
  readonly code: string;
  readonly payment?: 'paid' | 'unpaid';
}

export type SiteResult =
  | { readonly kind: 'view'; readonly view: SiteView }
  | {
      readonly kind: 'done';
      readonly receipt: { readonly print: () => Promise<PrintedReceipt>; readonly summary: Record<string, string>; readonly ticket?: ScreenTicket };
      /** Who the site knows this person as, for enrolling their face (returning by face), if the site offers it. */
      readonly enrolmentSubject?: string;
    }
  | { readonly kind: 'failed'; readonly code: string; readonly retryable: boolean }
  /**
   * Another person joins this visit (e.g. the next adult of a family booking): the journey verifies
   * them with their own card and face, then hands them to `addPerson` of this same flow.
   */
  | { readonly kind: 'next-person' };

/**
 * Whose a scanned code is, as the site answers (a boarding pass, a queue ticket, a visitor pass):
 * unknown, with the reason as a code the screen words (`err_<reason>`, e.g. CODE_UNKNOWN,
 * PASS_EXPIRED), or a subject with the reference face(s) the person at the kiosk must match 1:1.
 */
export type CodeIdentity =
  | { readonly known: false; readonly reason: string }
  | { readonly known: true; readonly subject: CodeSubject };

export interface CodeSubject {
  /** The site's id for whom the code stands; handed back to `startWithCode`. */
  readonly id: string;
  /** Faces of that person (e.g. the chip portrait's and the live capture's templates kept at enrolment). */
  readonly references: readonly FaceTemplate[];
}

export interface SiteFlow {
  start(ctx: SiteContext): Promise<SiteResult>;
  /** Starts for a person recognised by face alone: the site looks up who `subjectId` is. */
  startReturning?(subjectId: string, ctx: Omit<SiteContext, 'holder'>): Promise<SiteResult>;
  /** Starts for a person whose face matched the reference of a code the site identified (`CodeSubject.id`). */
  startWithCode?(subjectId: string, ctx: Omit<SiteContext, 'holder'>): Promise<SiteResult>;
  /** The next person of this visit, verified as the first was (after a `next-person` result). */
  addPerson?(ctx: SiteContext): Promise<SiteResult>;
  act(action: Record<string, unknown>): Promise<SiteResult>;
  /** Drops everything the flow holds about the person. */
  dispose(): void;
}
