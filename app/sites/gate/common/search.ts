/** Text as staff type it to find someone: without diacritics (đ as d) and case, so "nguyen" finds "Nguyễn". */
export function searchFold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
}
