import type { FleetProblem, FleetRow } from '../../core/api/kiosk-api.ts';
import { translateOr, type Language, type TextKey } from '../i18n.ts';

type T = (key: TextKey, params?: Record<string, string | number>) => string;

/** A span of time as staff say it: "45 seconds", "3 minutes", "5 hours", "2 days" (rounded down). */
export function ageWords(t: T, seconds: number): string {
  const s = Math.max(0, Math.floor(Math.abs(seconds)));
  if (s < 120) return t('fleetAge_seconds', { n: s });
  if (s < 120 * 60) return t('fleetAge_minutes', { n: Math.floor(s / 60) });
  if (s < 48 * 3600) return t('fleetAge_hours', { n: Math.floor(s / 3600) });
  return t('fleetAge_days', { n: Math.floor(s / 86_400) });
}

export const deviceWords = (lang: Language, device: string) => translateOr(lang, `device_${device}`, device);
export const healthWords = (lang: Language, state: string) => translateOr(lang, `state_${state}`, state);

/** One problem of a kiosk in a plain sentence. */
export function problemWords(t: T, lang: Language, p: FleetProblem): string {
  switch (p.kind) {
    case 'stale':
      return t('fleetProblem_stale', { age: ageWords(t, p.seconds) });
    case 'device':
      return t('fleetProblem_device', { device: deviceWords(lang, p.device), state: healthWords(lang, p.state) });
    case 'paperLow':
      return t('fleetProblem_paperLow');
    case 'outbox':
      return t('fleetProblem_outbox', { n: p.depth });
    case 'clock':
      return t('fleetProblem_clock', { age: ageWords(t, p.offsetSeconds) });
    case 'auditRollback':
      return t('fleetProblem_auditRollback');
  }
}

/** "+1.5" / "-0,3": a clock offset in seconds, signed, in the screen's language. */
export function offsetWords(lang: Language, offsetMs: number): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { signDisplay: 'exceptZero', maximumFractionDigits: 1 }).format(offsetMs / 1000);
}

/** The audit anchor's state in words. */
export function auditWords(t: T, k: Pick<FleetRow, 'auditRollback' | 'auditSeq'>): string {
  if (k.auditRollback) return t('fleetAuditRolledBack');
  return k.auditSeq === null ? t('fleetAuditNone') : t('fleetAuditAnchored', { seq: k.auditSeq });
}
