import { z } from 'zod';
import type { JourneyState } from './journey.ts';
import type { ScreenTicket, SiteView } from './site-flow.ts';

/** What the UI may show of a session: the step, and only the personal data that step displays. */
export interface JourneyView {
  readonly state: JourneyState;
  /** Increases with every change: of two views that crossed on the way, the screen keeps the higher. */
  readonly seq?: number;
  /** True while a read, capture, verification or print runs: the idle timer must hold. */
  readonly busy: boolean;
  readonly holder?: { readonly fullName: string; readonly dateOfBirth: string };
  readonly site?: SiteView;
  readonly receipt?: {
    /** The printed image, as PNG (empty when printing failed before an image was made). */
    readonly previewPngBase64: string;
    readonly printed: boolean;
    readonly printerProblem?: string;
    readonly summary: Record<string, string>;
    readonly ticket?: ScreenTicket;
  };
  /** On a failure screen: the person asked for staff, and the kiosk raised the call. */
  readonly staffCalled?: boolean;
  /**
   * Returning by face, on the done screen: `offer` (came by card, may enrol), `enrolled`,
   * `recognised` (came by face; may remove the saved face), `removed`.
   */
  readonly faceEnrolment?: 'offer' | 'enrolled' | 'recognised' | 'removed';
}

const keySource = z.enum(['qr', 'typed-id', 'mrz']);

/** The longest code a site's ticket or pass may carry (a boarding pass's BCBP is under 200). */
export const MAX_CODE_LENGTH = 512;

/** What a person came for, as a site names it (`register`, `pay`): lower-case words joined by dashes. */
export const purposeName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a purpose name: lower-case letters, digits, dashes');

/** The person's actions, as the kiosk API accepts them. */
export const journeyAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), purpose: purposeName.optional() }),
  z.object({ action: z.literal('start-face'), purpose: purposeName.optional() }),
  /** A code scanned at the start (a ticket, a pass): outside data, bounded, never logged in clear. */
  z.object({ action: z.literal('code'), code: z.string().min(1).max(MAX_CODE_LENGTH) }),
  /** On a code's face step: tap the card instead. */
  z.object({ action: z.literal('use-card') }),
  z.object({ action: z.literal('face-enrolment'), enrol: z.boolean() }),
  z.object({ action: z.literal('face-removal') }),
  z.object({ action: z.literal('consent'), accepted: z.boolean() }),
  z.object({
    action: z.literal('key'),
    key: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('id-number'), idNumber: z.string().regex(/^\d{12}$/, '12 digits'), source: keySource }),
      z.object({ kind: z.literal('mrz'), mrz: z.string().min(72).max(100), source: keySource }),
      // Raw text from a scanner: the host parses it (card QR or MRZ) and answers with a typed problem.
      z.object({ kind: z.literal('scan'), text: z.string().min(1).max(2000) }),
    ]),
  }),
  z.object({ action: z.literal('site'), payload: z.record(z.string(), z.unknown()) }),
  z.object({ action: z.literal('retry') }),
  z.object({ action: z.literal('call-staff') }),
  z.object({ action: z.literal('cancel') }),
]);
export type JourneyAction = z.infer<typeof journeyAction>;

export const journeyView = z.custom<JourneyView>((v) => typeof v === 'object' && v !== null && 'state' in v);
