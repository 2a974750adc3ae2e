import { describe, expect, it } from 'vitest';
import { CLOCK_FAILING_MS, kioskProblems, OUTBOX_FAILING, viewFleet, type FleetAnswer, type FleetKiosk } from '../../app/core/fleet/fleet.ts';
import { translate, type Language, type TextKey } from '../../app/ui/i18n.ts';
import { ageWords, auditWords, offsetWords, problemWords } from '../../app/ui/screens/fleet-words.ts';

const hubTime = '2026-12-04T10:00:00.000Z';
const ago = (s: number) => new Date(Date.parse(hubTime) - s * 1000).toISOString();
const kiosk = (terminalId: string, more: Partial<FleetKiosk> = {}): FleetKiosk => ({
  terminalId,
  lastSeen: ago(5),
  hub: 'hub-1',
  softwareVersion: '1.2.0',
  profile: 'factory-gate',
  devices: { cardReader: 'ok', printer: 'ok' },
  paperLow: false,
  outboxDepth: 0,
  clockOffsetMs: 40,
  auditSeq: 12,
  auditRollback: false,
  state: 'ok',
  ...more,
});
const answer = (kiosks: FleetKiosk[], staleAfterMs = 60_000): FleetAnswer => ({ hub: 'hub-1', hubTime, staleAfterMs, kiosks });

describe('which kiosks need attention', () => {
  it('calls a kiosk stale only past the site\'s limit, by the hub\'s clock', () => {
    const now = new Date(hubTime);
    expect(kioskProblems(kiosk('A', { lastSeen: ago(60) }), now, 60_000)).toEqual([]);
    expect(kioskProblems(kiosk('A', { lastSeen: ago(61) }), now, 60_000)).toEqual([{ kind: 'stale', seconds: 61 }]);
    expect(kioskProblems(kiosk('A', { lastSeen: ago(61) }), now, 120_000)).toEqual([]);
    // A heartbeat stamped a little ahead of the hub's answer is not a negative age.
    expect(viewFleet(answer([kiosk('A', { lastSeen: ago(-2) })])).kiosks[0]!.ageSeconds).toBe(0);
  });

  it('calls a kiosk failing for a device not ok, low paper, a deep outbox, a clock far off or a rolled-back audit chain', () => {
    const now = new Date(hubTime);
    const problems = (more: Partial<FleetKiosk>) => kioskProblems(kiosk('A', more), now, 60_000);
    expect(problems({ devices: { printer: 'error', cardReader: 'missing', camera: 'ok' } })).toEqual([
      { kind: 'device', device: 'cardReader', state: 'missing' },
      { kind: 'device', device: 'printer', state: 'error' },
    ]);
    expect(problems({ paperLow: true })).toEqual([{ kind: 'paperLow' }]);
    expect(problems({ paperLow: null })).toEqual([]);
    expect(problems({ outboxDepth: OUTBOX_FAILING - 1 })).toEqual([]);
    expect(problems({ outboxDepth: OUTBOX_FAILING })).toEqual([{ kind: 'outbox', depth: OUTBOX_FAILING }]);
    expect(problems({ clockOffsetMs: CLOCK_FAILING_MS - 1 })).toEqual([]);
    expect(problems({ clockOffsetMs: -CLOCK_FAILING_MS })).toEqual([{ kind: 'clock', offsetSeconds: -120 }]);
    expect(problems({ clockOffsetMs: null })).toEqual([]);
    expect(problems({ auditRollback: true })).toEqual([{ kind: 'auditRollback' }]);
  });

  it('recomputes the state from the facts (not the hub\'s word) and puts stale, then failing kiosks on top', () => {
    const view = viewFleet(
      answer([
        kiosk('A-OK', { state: 'failing' }),
        kiosk('B-FAILING', { devices: { printer: 'error' } }),
        kiosk('C-STALE', { lastSeen: ago(3600), paperLow: true }),
        kiosk('D-OK'),
        kiosk('E-STALE', { lastSeen: ago(61) }),
      ]),
    );
    expect(view.kiosks.map((k) => [k.terminalId, k.state])).toEqual([
      ['C-STALE', 'stale'],
      ['E-STALE', 'stale'],
      ['B-FAILING', 'failing'],
      ['A-OK', 'ok'],
      ['D-OK', 'ok'],
    ]);
    expect(view.kiosks[0]!.problems).toEqual([{ kind: 'stale', seconds: 3600 }, { kind: 'paperLow' }]);
    expect([view.stale, view.failing, view.staleAfterSeconds]).toEqual([2, 1, 60]);
  });
});

describe('the fleet page in words', () => {
  const t = (lang: Language) => (key: TextKey, params?: Record<string, string | number>) => translate(lang, key, params);
  it('says ages and problems in plain words, in both languages', () => {
    expect(ageWords(t('en'), 1)).toBe('1 second');
    expect(ageWords(t('en'), 119)).toBe('119 seconds');
    expect(ageWords(t('en'), 3 * 60 + 59)).toBe('3 minutes');
    expect(ageWords(t('en'), 5 * 3600)).toBe('5 hours');
    expect(ageWords(t('en'), 3 * 86_400)).toBe('3 days');
    expect(ageWords(t('vi'), 3 * 86_400)).toBe('3 ngày');
    expect(problemWords(t('en'), 'en', { kind: 'stale', seconds: 600 })).toBe('No heartbeat for 10 minutes: it may be switched off or cut off from the network.');
    expect(problemWords(t('vi'), 'vi', { kind: 'device', device: 'printer', state: 'error' })).toBe('Máy in: lỗi.');
    expect(problemWords(t('en'), 'en', { kind: 'device', device: 'door', state: 'missing' })).toBe('door: not found.');
    expect(problemWords(t('en'), 'en', { kind: 'outbox', depth: 1 })).toBe('1 event not yet delivered to the site hub.');
    expect(problemWords(t('en'), 'en', { kind: 'clock', offsetSeconds: -180 })).toBe('Its clock is 3 minutes off the site hub\'s.');
    expect(translate('en', 'fleetAttention', { n: 1 })).toBe('1 kiosk needs attention');
    expect(translate('en', 'fleetAttention', { n: 2 })).toBe('2 kiosks need attention');
    expect(offsetWords('vi', -300)).toBe('-0,3');
    expect(offsetWords('en', 1500)).toBe('+1.5');
    expect(auditWords(t('en'), { auditRollback: false, auditSeq: 41 })).toBe('up to row 41, matching');
    expect(auditWords(t('en'), { auditRollback: true, auditSeq: 41 })).toBe('cut short or rewritten');
    expect(auditWords(t('vi'), { auditRollback: false, auditSeq: null })).toBe('chưa có');
  });
});
