/**
 * Formatting shared by the templates. Kiosks run in Vietnam (UTC+7 all year, no daylight saving),
 * so times are shown in that zone whatever the machine's own time zone is.
 */
const VN_OFFSET_MS = 7 * 3600_000;

const two = (n: number) => String(n).padStart(2, '0');

function vn(d: Date): Date {
  return new Date(d.getTime() + VN_OFFSET_MS);
}

/** `23/11/2026` */
export function formatDateVn(d: Date): string {
  const t = vn(d);
  return `${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
}

/** `07:05` */
export function formatTimeVn(d: Date): string {
  const t = vn(d);
  return `${two(t.getUTCHours())}:${two(t.getUTCMinutes())}`;
}

/** `07:05 23/11/2026` */
export function formatDateTimeVn(d: Date): string {
  return `${formatTimeVn(d)} ${formatDateVn(d)}`;
}

/** `150.000 ₫`: Vietnamese groups thousands with dots; đồng have no minor unit. */
export function formatVnd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(amount)));
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}

/**
 * Vietnamese text as upper-case ASCII, as IATA BCBP and MRZ-like fields need it:
 * Nguyễn → NGUYEN, Đặng → DANG. Other characters become spaces.
 */
export function toAsciiUpper(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, ' ')
    .replace(/ +/g, ' ')
    .trim();
}

/** The languages the kiosk speaks (screens, voice and printouts). */
export type ReceiptLanguage = 'vi' | 'en';

/**
 * Vietnamese words of hospital and building signage, in English. A place label comes from the
 * site's own system as its door sign reads (`P.105 – Tầng 1`); only these words are translated, the
 * numbers and codes that find the door stay as they are. A word counts only as a whole word and,
 * except the set phrases, only before a code (`Khu A`, `Phòng 105`): `Phòng khám` is a clinic.
 */
const PLACE_PHRASES_EN: readonly (readonly [string, string])[] = [['Tầng trệt', 'Ground floor'], ['Tầng hầm', 'Basement']];
const PLACE_WORDS_EN: readonly (readonly [string, string])[] = [
  ['Tòa nhà', 'Building'], ['Toà nhà', 'Building'], ['Tầng', 'Floor'], ['Lầu', 'Floor'], ['Tòa', 'Building'], ['Toà', 'Building'],
  ['Dãy', 'Building'], ['Khu', 'Block'], ['Phòng', 'Room'], ['Cổng', 'Gate'], ['Sảnh', 'Lobby'],
];
const wholeWord = (word: string, before = '') => new RegExp(`(?<!\\p{L})${word}(?!\\p{L})${before}`, 'gu');
const PLACE_RULES_EN = [
  ...PLACE_PHRASES_EN.map(([vi, en]) => [wholeWord(vi), en] as const),
  ...PLACE_WORDS_EN.map(([vi, en]) => [wholeWord(vi, '(?=\\s+[0-9A-Z][0-9A-Z.-]*(?!\\p{L}))'), en] as const),
];

/** A place label in the given language: `P.105 – Tầng 1` → `P.105 – Floor 1` in English. */
export function localizePlace(label: string, lang: ReceiptLanguage): string {
  const text = label.normalize('NFC');
  return lang === 'vi' ? text : PLACE_RULES_EN.reduce((s, [rule, en]) => s.replace(rule, en), text);
}
