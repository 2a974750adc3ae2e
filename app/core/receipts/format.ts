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
