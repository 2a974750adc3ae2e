/**
 * A persona's card as a virtual chip: the data helper's signed card files plus the chip's secrets
 * (access keys and, for issue 4, its CA/AA private keys), with field-behaviour switches.
 */
import { mrzInformation } from '../../core/icao/mrz.ts';
import { buildCardFiles, type BuildCardOptions, type CardFiles } from '../personas/build-card-files.ts';
import { VirtualChip, type ChipBehaviour } from './chip.ts';

export interface PersonaChipOptions extends BuildCardOptions {
  readonly behaviour?: Partial<ChipBehaviour>;
  /** ATR to report instead of the one built from the behaviour. */
  readonly atr?: Uint8Array;
}

export interface PersonaChip {
  readonly chip: VirtualChip;
  readonly card: CardFiles;
}

export async function personaChip(personaId: string, options: PersonaChipOptions = {}): Promise<PersonaChip> {
  const card = await buildCardFiles(personaId, options);
  const chip = new VirtualChip({
    files: card.files,
    mrzInformation: mrzInformation(card.bacKey),
    ...(card.can ? { can: card.can } : {}),
    keys: {
      ...(card.chipKeys.chipAuthentication ? { ca: card.chipKeys.chipAuthentication.privateKey } : {}),
      ...(card.chipKeys.activeAuthentication ? { aa: card.chipKeys.activeAuthentication.privateKey } : {}),
    },
    ...(options.behaviour ? { behaviour: options.behaviour } : {}),
    ...(options.atr ? { atr: options.atr } : {}),
  });
  return { chip, card };
}
