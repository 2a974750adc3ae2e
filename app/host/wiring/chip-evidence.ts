import type { CccdDocument } from '../../core/cccd/document.ts';
import type { PassiveAuthResult } from '../../core/icao/passive-auth.ts';

/**
 * What the chip-reading adapter keeps for the later steps (central verification needs the DSC, the
 * SOD, the data-group hashes and DG13 as read). Held only in the journey session; wiped with it.
 */
export interface ChipEvidence {
  readonly document: CccdDocument;
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly passiveAuth: PassiveAuthResult;
}
