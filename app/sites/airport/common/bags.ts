/**
 * Checked bags against the allowance (piece concept: so many bags of up to so many kg each). A
 * family's bags are pooled: each bag fills the next free included piece of the party, holder first;
 * bags beyond every included piece are extra pieces of the holder. A bag heavier than its piece's
 * limit is overweight by the difference; a bag above the handling limit (32 kg) is not accepted here.
 * The DCS prices the excess (quote); this only says what is excess, for the screen and the quote.
 */
import type { Allowance, Bag } from './contract.ts';

export interface PartyMember {
  readonly passengerId: string;
  readonly allowance: Allowance;
}

export interface AssessedBag extends Bag {
  /** Counted as an included piece (false: an extra piece). */
  readonly included: boolean;
  /** Kilos over the piece's limit, rounded to 0.1 kg (0 when within). */
  readonly overweightKg: number;
}

export interface BagAssessment {
  readonly bags: readonly AssessedBag[];
  readonly extraPieces: number;
  readonly overweightKg: number;
  /** Indexes of bags above the handling limit: they go to the counter. */
  readonly tooHeavy: readonly number[];
}

const tenth = (kg: number) => Math.round(kg * 10) / 10;

/** Assesses `weightsKg` (in the order weighed) for the party; `party[0]` is the passenger checking in. */
export function assessBags(party: readonly PartyMember[], weightsKg: readonly number[], handlingLimitKg: number): BagAssessment {
  const free = party.flatMap((m) => Array.from({ length: m.allowance.pieces }, () => m));
  const holder = party[0];
  if (!holder) throw new RangeError('a party has at least the passenger checking in');
  const bags = weightsKg.map((weightKg, i): AssessedBag => {
    const slot = free[i];
    const owner = slot ?? holder;
    // An extra piece may weigh what an included one may (or up to the handling limit, on a fare without bags).
    const limit = slot ? slot.allowance.kgPerPiece : holder.allowance.kgPerPiece || handlingLimitKg;
    return { passengerId: owner.passengerId, weightKg: tenth(weightKg), included: slot !== undefined, overweightKg: tenth(Math.max(0, weightKg - limit)) };
  });
  return {
    bags,
    extraPieces: bags.filter((b) => !b.included).length,
    overweightKg: tenth(bags.reduce((sum, b) => sum + b.overweightKg, 0)),
    tooHeavy: weightsKg.flatMap((w, i) => (w > handlingLimitKg ? [i] : [])),
  };
}
