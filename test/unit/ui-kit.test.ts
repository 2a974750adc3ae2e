import { describe, expect, it } from 'vitest';
import type { JourneyState } from '../../app/core/journey/journey.ts';
import { siteKey, texts, translate, translateOr } from '../../app/ui/i18n.ts';
import { formatDateTime, formatTime, yearAt } from '../../app/ui/kit/time.ts';
import { typedIdProblem } from '../../app/ui/screens/journey/id-entry.ts';
import { pathOf, progressOf, type JourneyPath } from '../../app/ui/screens/journey/progress.ts';

describe('plural rules in the texts', () => {
  it('says "1 day" and "2 days" in English, and one form in Vietnamese', () => {
    expect(translate('en', 'consentKeep', { days: 1 })).toContain('for 1 day and');
    expect(translate('en', 'consentKeep', { days: 30 })).toContain('for 30 days and');
    expect(translate('vi', 'consentKeep', { days: 1 })).toContain('1 ngày');
    expect(translate('en', 'idleBody', { seconds: 1 })).toContain('in 1 second.');
    expect(translate('en', 'hospWaiting', { n: 1 })).toBe('1 person waiting');
    expect(translate('en', 'hospWaiting', { n: 0 })).toBe('0 people waiting');
  });

  it('has no English text that puts a bare number before a plural noun', () => {
    const bare = Object.entries(texts.en).filter(([, text]) => /\{\w+\} (days|seconds|people|rows)\b/.test(text));
    expect(bare.map(([key]) => key)).toEqual([]);
  });

  it('has every Vietnamese text in English too, and no English text left empty where Vietnamese has words', () => {
    expect(Object.keys(texts.en).sort()).toEqual(Object.keys(texts.vi).sort());
    const empty = Object.keys(texts.vi).filter((k) => texts.vi[k as keyof typeof texts.vi] !== '' && texts.en[k as keyof typeof texts.en] === '');
    expect(empty).toEqual([]);
  });

  it('picks a site\'s own wording when it has one, and words for run-time keys with a fallback', () => {
    expect(siteKey('declinedCounter', 'hospital')).toBe('declinedCounter_hospital');
    expect(siteKey('declinedCounter', 'airport')).toBe('declinedCounter_airport');
    expect(siteKey('declinedCounter', 'gate')).toBe('declinedCounter');
    expect(translateOr('vi', 'audit_admin.login', 'admin.login')).toBe('Nhân viên đăng nhập');
    expect(translateOr('vi', 'audit_something.new', 'something.new')).toBe('something.new');
  });
});

describe('times in the site\'s time zone', () => {
  const at = '2026-03-01T12:24:05Z';
  it('shows the wall clock of the site, not of the PC', () => {
    expect(formatTime(at, 'vi', 'Asia/Ho_Chi_Minh')).toBe('19:24');
    expect(formatTime(at, 'en', 'Asia/Ho_Chi_Minh')).toBe('19:24');
    expect(formatTime(at, 'vi', 'Europe/Paris')).toBe('13:24');
    expect(formatDateTime(at, 'vi', 'Asia/Ho_Chi_Minh')).toBe('01/03 19:24:05');
  });
  it('knows the year at the site at New Year', () => {
    expect(yearAt('Asia/Ho_Chi_Minh', new Date('2026-12-31T18:00:00Z'))).toBe(2027);
    expect(yearAt('Europe/London', new Date('2026-12-31T18:00:00Z'))).toBe(2026);
  });
});

describe('the typed ID, checked as it is typed', () => {
  const year = 2026;
  it('lets a possible number through at every length', () => {
    for (let n = 0; n <= 12; n++) expect(typedIdProblem('001092012345'.slice(0, n), year)).toBeUndefined();
    expect(typedIdProblem('079301000123', year)).toBeUndefined();
  });
  it('refuses a province code that does not exist as soon as its three digits are in', () => {
    expect(typedIdProblem('00', year)).toBeUndefined();
    expect(typedIdProblem('000', year)).toEqual({ key: 'idProvinceUnknown', params: { code: '000' } });
    expect(typedIdProblem('000000000000', year)?.key).toBe('idProvinceUnknown');
    expect(typedIdProblem('099047000456', year)?.key).toBe('idProvinceUnknown');
  });
  it('refuses a century still to come at the fourth digit, and a birth year after this one at the sixth', () => {
    expect(typedIdProblem('0014', year)).toEqual({ key: 'idCenturyImpossible', params: { digit: '4' } });
    expect(typedIdProblem('0019', year)?.key).toBe('idCenturyImpossible');
    expect(typedIdProblem('00129', year)).toBeUndefined();
    expect(typedIdProblem('001299', year)).toEqual({ key: 'idBirthYearFuture', params: { year: 2099 } });
    expect(typedIdProblem('001226', year)).toBeUndefined();
    expect(typedIdProblem('001227', year)?.key).toBe('idBirthYearFuture');
  });
});

describe('where the person stands in the journey', () => {
  const walk = (states: JourneyState[]) => {
    let path: JourneyPath = 'card';
    return states.map((s) => {
      path = pathOf(s, path);
      const p = progressOf(s, path);
      return p && `${p.n}/${p.total} ${p.stage}`;
    });
  };
  it('counts six steps by card', () => {
    expect(walk([
      { step: 'welcome' },
      { step: 'consent' },
      { step: 'present-card', keyGiven: false },
      { step: 'reading', bytesRead: 1, totalBytes: 2 },
      { step: 'face', guidance: [], attempt: 0 },
      { step: 'verifying' },
      { step: 'site', siteStep: 'exam-type' },
      { step: 'printing' },
      { step: 'done' },
      { step: 'failed', code: 'X' },
    ])).toEqual([undefined, '1/6 consent', '2/6 card', '2/6 card', '3/6 face', '4/6 verify', '5/6 site', '6/6 ticket', '6/6 ticket', undefined]);
  });
  it('counts four by face alone, and the card path once the card is asked for', () => {
    expect(walk([
      { step: 'consent', mode: 'face' },
      { step: 'face-identify', guidance: [] },
      { step: 'site', siteStep: 'exam-type' },
      { step: 'done' },
    ])).toEqual(['1/4 consent', '2/4 face', '3/4 site', '4/4 ticket']);
    expect(walk([
      { step: 'consent', mode: 'face' },
      { step: 'face-identify', guidance: [] },
      { step: 'present-card', keyGiven: false, problem: 'FACE_NOT_RECOGNISED' },
      { step: 'site', siteStep: 'exam-type' },
    ])).toEqual(['1/4 consent', '2/4 face', '2/6 card', '5/6 site']);
  });
});
