/**
 * Is the person whose chip says "Nguyễn Văn An" the passenger the airline booked as
 * `NGUYEN/VAN AN MR`? Airlines write names in upper-case ASCII as `SURNAME/GIVEN NAMES`, with a
 * title, and people book them in all sorts of ways: `AN/NGUYEN VAN` (given name first), `NGUYEN/VANAN`
 * (run together), `NGUYEN/AN` (middle name left out). Both sides are folded to ASCII (Đ → D), the
 * titles dropped, and every booked word must be found on the chip, while the chip's family name
 * (its first word) and given name (its last) must both be in the booking. Anything else is a
 * mismatch with a reason, and the passenger goes to the counter.
 */
import { toAsciiUpper } from '../../../core/receipts/format.ts';

/** Titles airlines append to given names; they are not part of the name. */
export const NAME_TITLES: ReadonlySet<string> = new Set(['MR', 'MRS', 'MS', 'MSTR', 'MISS', 'CHD', 'INF']);

export interface AirlineName {
  /** The words before the slash. Empty when the booking has no slash. */
  readonly surname: readonly string[];
  /** The words after it, titles removed. */
  readonly given: readonly string[];
  readonly title?: string;
}

/** Splits and folds a booked name: `Nguyễn/Văn An MR` → NGUYEN / VAN AN, title MR. */
export function parseAirlineName(booked: string): AirlineName {
  const slash = booked.indexOf('/');
  const words = (text: string) => toAsciiUpper(text).split(' ').filter((w) => w !== '');
  const surname = slash < 0 ? [] : words(booked.slice(0, slash));
  const given = words(slash < 0 ? booked : booked.slice(slash + 1));
  let title: string | undefined;
  while (given.length > 0 && NAME_TITLES.has(given.at(-1)!)) title ??= given.pop();
  return { surname, given, ...(title ? { title } : {}) };
}

export type NameMismatch =
  /** No letters to compare on one side. */
  | 'NAME_UNREADABLE'
  /** A word of the booked surname is not on the chip. */
  | 'NAME_SURNAME_DIFFERS'
  /** A word of the booked given names is not on the chip. */
  | 'NAME_GIVEN_NAMES_DIFFER'
  /** The chip's family name (its first word) is not in the booking. */
  | 'NAME_FAMILY_NAME_MISSING'
  /** The chip's given name (its last word) is not in the booking. */
  | 'NAME_GIVEN_NAME_MISSING';

export type NameMatch =
  | { readonly matched: true; readonly reordered: boolean; readonly middleNamesOmitted: number }
  | { readonly matched: false; readonly reason: NameMismatch };

/** Longer names are refused as unreadable: the search below is exponential in the word count. */
const MAX_WORDS = 12;

interface Word {
  readonly text: string;
  readonly part: 'surname' | 'given';
  /** The same word without a title run into its end (`ANMR` → `AN`), when that applies. */
  readonly untitled?: string;
}

/** The chip spans (first..last word index) whose words run together spell `text`. */
function spansOf(text: string, chip: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < chip.length; i++) {
    let joined = '';
    for (let j = i; j < chip.length && joined.length < text.length; j++) {
      joined += chip[j];
      if (joined === text) out.push([i, j]);
    }
  }
  return out;
}

interface Assignment {
  readonly spans: readonly ([number, number] | undefined)[];
  readonly matched: number;
}

/** The assignment of booked words to disjoint chip spans that places the most words (then covers the ends). */
function bestAssignment(words: readonly Word[], chip: readonly string[]): Assignment {
  const candidates = words.map((w) => [...spansOf(w.text, chip), ...(w.untitled ? spansOf(w.untitled, chip) : [])]);
  const used = new Array<boolean>(chip.length).fill(false);
  const chosen: ([number, number] | undefined)[] = [];
  let best: Assignment = { spans: words.map(() => undefined), matched: 0 };
  const score = (a: Assignment) => a.matched * 4 + (used[0] ? 2 : 0) + (used[chip.length - 1] ? 1 : 0);
  let bestScore = -1;
  const walk = (k: number, matched: number): void => {
    if (k === words.length) {
      const here = { spans: [...chosen], matched };
      const s = score(here);
      if (s > bestScore) [best, bestScore] = [here, s];
      return;
    }
    for (const [i, j] of candidates[k]!) {
      if (used.slice(i, j + 1).some(Boolean)) continue;
      used.fill(true, i, j + 1);
      chosen.push([i, j]);
      walk(k + 1, matched + 1);
      chosen.pop();
      used.fill(false, i, j + 1);
    }
    chosen.push(undefined);
    walk(k + 1, matched);
    chosen.pop();
  };
  walk(0, 0);
  return best;
}

/** Compares the chip's full name (Vietnamese order: family name first) with a booked name. */
export function matchName(chipFullName: string, booked: string): NameMatch {
  const chip = toAsciiUpper(chipFullName).split(' ').filter((w) => w !== '');
  const name = parseAirlineName(booked);
  const words: Word[] = [
    ...name.surname.map((text) => ({ text, part: 'surname' as const })),
    ...name.given.map((text) => ({ text, part: 'given' as const })),
  ];
  // A title run into the last word (`VANANMR`) is tried both ways: `THOMAS` must stay THOMAS.
  const last = words.at(-1);
  const glued = last && [...NAME_TITLES].find((t) => last.text.length > t.length + 1 && last.text.endsWith(t));
  if (last && glued) words[words.length - 1] = { ...last, untitled: last.text.slice(0, -glued.length) };

  if (chip.length === 0 || words.length === 0 || chip.length > MAX_WORDS || words.length > MAX_WORDS) return { matched: false, reason: 'NAME_UNREADABLE' };
  const { spans, matched } = bestAssignment(words, chip);
  if (matched < words.length) {
    const missing = words[spans.findIndex((s) => s === undefined)]!;
    return { matched: false, reason: missing.part === 'surname' ? 'NAME_SURNAME_DIFFERS' : 'NAME_GIVEN_NAMES_DIFFER' };
  }
  const covered = new Array<boolean>(chip.length).fill(false);
  for (const [i, j] of spans as [number, number][]) covered.fill(true, i, j + 1);
  if (!covered[0]) return { matched: false, reason: 'NAME_FAMILY_NAME_MISSING' };
  if (!covered[chip.length - 1]) return { matched: false, reason: 'NAME_GIVEN_NAME_MISSING' };
  const starts = (spans as [number, number][]).map(([i]) => i);
  const inOrder = starts.every((s, k) => k === 0 || s > starts[k - 1]!);
  // Written "as the airline expects" means the booked surname is the chip's family name, in order.
  const reordered = !inOrder || (name.surname.length > 0 && starts[0] !== 0);
  return { matched: true, reordered, middleNamesOmitted: covered.filter((c) => !c).length };
}

/** The booked name without its title, as a boarding pass carries it: surname and given names. */
export function passName(booked: string): { surname: string; givenNames: string } {
  const name = parseAirlineName(booked);
  const surname = name.surname.length > 0 ? name.surname : name.given.slice(0, 1);
  const given = name.surname.length > 0 ? name.given : name.given.slice(1);
  return { surname: surname.join(' '), givenNames: given.join(' ') };
}
