/**
 * The site's own steps in the middle of the journey (hospital: department, insurance, queue number;
 * airport: booking, seat, bags; gate: purpose, host). A site flow is a small conversation: it shows
 * a view, the person acts, it answers with the next view, until it hands back a receipt to print.
 */
import type { FaceOutcome, VerificationOutcome } from './journey.ts';
import type { ChipReadOutcome, PrintedReceipt } from './ports.ts';

export interface SiteContext {
  readonly read: ChipReadOutcome;
  readonly face?: FaceOutcome;
  readonly verification: VerificationOutcome;
  readonly language: 'vi' | 'en';
}

/** What a site screen shows: a named step and the data it needs (validated by the site's own schema). */
export interface SiteView {
  readonly siteStep: string;
  readonly data: Record<string, unknown>;
}

export type SiteResult =
  | { readonly kind: 'view'; readonly view: SiteView }
  | { readonly kind: 'done'; readonly receipt: { readonly print: () => Promise<PrintedReceipt>; readonly summary: Record<string, string> } }
  | { readonly kind: 'failed'; readonly code: string; readonly retryable: boolean };

export interface SiteFlow {
  start(ctx: SiteContext): Promise<SiteResult>;
  act(action: Record<string, unknown>): Promise<SiteResult>;
  /** Drops everything the flow holds about the person. */
  dispose(): void;
}
