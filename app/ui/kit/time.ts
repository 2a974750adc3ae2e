import type { Language } from '../i18n.ts';

const locale = (lang: Language) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

/** "19:24": a moment as the clock on the site's wall shows it, whatever zone the kiosk's PC is set to. */
export function formatTime(iso: string, lang: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "04/12 19:24:05": for logs, where the day and the seconds matter. */
export function formatDateTime(iso: string, lang: Language, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(locale(lang), {
    timeZone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

/** The calendar year at the site now (a birth year after it cannot be right). */
export function yearAt(timeZone: string, now = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(now));
}
