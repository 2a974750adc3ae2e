/**
 * Tone marks for the on-screen keyboard: the person types the letters (ă â đ ê ô ơ ư have keys of
 * their own), then taps a tone, and it lands on the vowel of the word before the caret that
 * Vietnamese spelling puts it on, in the traditional placement of names and official papers
 * (Thúy, Hòa, Nguyễn). Tapping the same tone again takes it off.
 */

export const TONES = ['sac', 'huyen', 'hoi', 'nga', 'nang'] as const;
export type Tone = (typeof TONES)[number];

/** Combining marks (NFD) of the five tones. */
const TONE_MARK: Record<Tone, string> = { sac: '\u0301', huyen: '\u0300', hoi: '\u0309', nga: '\u0303', nang: '\u0323' };
const TONE_MARKS = new Set(Object.values(TONE_MARK));
/** The marks that make a letter of its own (â ê ô, ă, ơ ư): they stay when the tone changes. */
const LETTER_MARKS = new Set(['\u0302', '\u0306', '\u031b']);
const VOWELS = new Set([...'aeiouy']);

/** One letter of a word in NFD: its base, its letter mark (if any) and its tone (if any). */
interface Letter {
  base: string;
  mark: string;
  tone: string;
}

function letters(word: string): Letter[] {
  const out: Letter[] = [];
  for (const ch of word.normalize('NFD')) {
    const last = out[out.length - 1];
    if (last && TONE_MARKS.has(ch)) last.tone = ch;
    else if (last && LETTER_MARKS.has(ch)) last.mark = ch;
    else out.push({ base: ch, mark: '', tone: '' });
  }
  return out;
}

const isVowel = (l: Letter) => VOWELS.has(l.base.toLowerCase());

/**
 * Which letter of the word carries the tone, or -1 when it has no vowel. The syllable's vowel
 * group is its last run of vowels, without the u of "qu" and the i of "gi" before another vowel.
 * A vowel with a letter mark (ê, ơ, â, ă, ô, ư) takes the tone (ơ over ư in "ươ"); otherwise a
 * final consonant puts it on the group's last vowel; otherwise a group of three takes it on the
 * middle one and a pair on the first (hòa, thúy, của).
 */
export function toneVowel(ls: readonly Letter[]): number {
  let end = ls.length - 1;
  while (end >= 0 && !isVowel(ls[end]!)) end--;
  if (end < 0) return -1;
  let start = end;
  while (start > 0 && isVowel(ls[start - 1]!)) start--;
  const lower = (i: number) => ls[i]!.base.toLowerCase();
  if (end > start && start > 0 && ((lower(start) === 'u' && lower(start - 1) === 'q') || (lower(start) === 'i' && lower(start - 1) === 'g'))) start++;
  const group = [...Array(end - start + 1).keys()].map((k) => start + k);
  const marked = group.filter((i) => ls[i]!.mark !== '');
  if (marked.length > 0) return marked[marked.length - 1]!;
  if (end < ls.length - 1) return end;
  return group.length === 3 ? group[1]! : group[0]!;
}

/** The word with `tone` on its tone vowel (replacing another tone), or with no tone if it had this one. Unchanged without a vowel. */
export function withTone(word: string, tone: Tone): string {
  const ls = letters(word);
  const at = toneVowel(ls);
  if (at < 0) return word;
  const mark = TONE_MARK[tone];
  const had = ls.some((l) => l.tone === mark);
  for (const l of ls) l.tone = '';
  if (!had) ls[at]!.tone = mark;
  return ls.map((l) => l.base + l.mark + l.tone).join('').normalize('NFC');
}

/** Applies `tone` to the word that ends at `caret` in `text`; answers the new text and caret. */
export function toneAtCaret(text: string, caret: number, tone: Tone): { text: string; caret: number } {
  const before = text.slice(0, caret);
  const start = before.search(/[\p{L}\p{M}]+$/u);
  if (start < 0) return { text, caret };
  const word = withTone(before.slice(start), tone);
  return { text: before.slice(0, start) + word + text.slice(caret), caret: start + word.length };
}
