import { describe, expect, it, vi } from 'vitest';
import { KioskError } from '../../app/core/errors.ts';
import type { JourneyPolicy } from '../../app/core/journey/journey.ts';
import type { ChipEvidence } from '../../app/core/verification/subject.ts';
import type { ChipReadOutcome, ChipReading, FaceGallery, FaceMatching, IdentityVerification } from '../../app/core/journey/ports.ts';
import type { SiteFlow } from '../../app/core/journey/site-flow.ts';
import { JourneyRunner, type JourneyAction, type JourneyDeps, type JourneyView } from '../../app/host/journey-runner.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';

const policy: JourneyPolicy = { acceptUnanchoredSigner: false, requireChipGenuine: ['cccd'], central: 'allow-offline', faceRequired: true, maxFaceAttempts: 2 };
const key = { kind: 'id-number', idNumber: '001092012345', source: 'qr' } as const;

function readOutcome(): ChipReadOutcome {
  return {
    summary: { passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', accessMethod: 'PACE-CAN', documentType: 'cccd' },
    holder: { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' },
    portrait: { width: 1, height: 1, data: Uint8Array.of(200, 150, 100) },
    // The fake verification looks at none of it but the chip's image bytes, which the wipe blanks.
    evidence: { document: { portrait: { format: 'jpeg', width: 1, height: 1, bytes: Uint8Array.of(0xff, 0xd8, 1) } } } as ChipEvidence,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

function setup(over: { reading?: ChipReading; face?: FaceMatching; verification?: IdentityVerification; deps?: Partial<JourneyDeps> } = {}) {
  const db = openDatabase(':memory:');
  const audit = new AuditLog(db);
  const views: JourneyView[] = [];
  let read: ChipReadOutcome | undefined;
  const site: SiteFlow = {
    start: vi.fn(async () => ({ kind: 'view' as const, view: { siteStep: 'department', data: { departments: ['Nội'] } } })),
    act: vi.fn(async () => ({ kind: 'done' as const, receipt: { print: async () => ({ previewPng: Uint8Array.of(137, 80), printed: true }), summary: { queueNumber: '12' } } })),
    dispose: vi.fn(),
  };
  const runner = new JourneyRunner({
    reading: over.reading ?? { read: async (_k, progress) => { progress(100, 200); progress(200, 200); read = readOutcome(); return read; } },
    face: over.face ?? { match: async () => ({ decision: 'MATCH', score: 0.82 }) },
    verification: over.verification ?? { verify: async () => ({ verdict: 'VERIFIED' }) },
    site: () => site,
    parseScan: (text) => {
      if (!/^\d{12}\|/.test(text)) throw new KioskError('QR_NOT_CCCD', 'not a CCCD QR');
      return { kind: 'id-number', idNumber: text.slice(0, 12), source: 'qr' };
    },
    policy,
    audit,
    publish: (v) => views.push(v),
    ...over.deps,
  });
  return { runner, views, audit, site, read: () => read };
}

describe('journey runner', () => {
  it('takes a person from consent to a printed ticket, publishing every step', async () => {
    const { runner, views, audit, site } = setup();
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    expect(runner.view()).toMatchObject({ state: { step: 'site', siteStep: 'department' }, holder: { fullName: 'Nguyễn Văn An' }, site: { data: { departments: ['Nội'] } } });
    await runner.act({ action: 'site', payload: { department: 'Nội' } });
    await settle();
    expect(site.act).toHaveBeenCalledWith({ department: 'Nội' });
    const done = runner.view();
    expect(done.state).toEqual({ step: 'done' });
    expect(done.receipt).toEqual({ previewPngBase64: Buffer.from([137, 80]).toString('base64'), printed: true, summary: { queueNumber: '12' } });
    expect(views.map((v) => v.state.step)).toEqual(['consent', 'present-card', 'present-card', 'reading', 'reading', 'reading', 'face', 'verifying', 'site', 'site', 'printing', 'done']);
    const actions = audit.recent(50).map((r) => r.action).reverse();
    expect(actions).toEqual(['journey.start', 'journey.consent-given', 'journey.read', 'journey.face', 'journey.verify', 'journey.done']);
    // The audit trail holds verdicts, never the person.
    expect(JSON.stringify(audit.recent(50))).not.toMatch(/Nguyễn|001092012345|1992/);
  });

  it('a printer that fails outright still leaves the ticket on screen, saying it was not printed', async () => {
    const { runner, site, audit } = setup();
    site.act = vi.fn(async () => ({ kind: 'done' as const, receipt: { print: async () => { throw new KioskError('PRINTER_OFFLINE', 'no answer'); }, summary: { queueNumber: '12' } } }));
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    await runner.act({ action: 'site', payload: { department: 'Nội' } });
    await settle();
    const done = runner.view();
    expect(done.state).toEqual({ step: 'done' });
    expect(done.receipt).toMatchObject({ printed: false, printerProblem: 'PRINTER_OFFLINE', summary: { queueNumber: '12' } });
    expect(audit.recent(5).map((r) => r.action)).toContain('journey.print-failed');
  });

  it('opens the card from a scanned QR, and asks again when the scan is not a card QR', async () => {
    const { runner } = setup();
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key: { kind: 'scan', text: 'https://example.com/not-a-card' } });
    expect(runner.view().state).toEqual({ step: 'present-card', keyGiven: false, problem: 'QR_NOT_CCCD' });
    await runner.act({ action: 'key', key: { kind: 'scan', text: '001092012345|123456789|Nguyễn Văn An|17031992|Nam|Hà Nội|15042021' } });
    await settle();
    expect(runner.view().state).toMatchObject({ step: 'site' });
  });

  it('wipes the person from memory on cancel, including the portrait bytes', async () => {
    const { runner, read, site } = setup();
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    const pixels = read()!.portrait.data;
    const chipImage = read()!.evidence.document.portrait!.bytes;
    await runner.act({ action: 'cancel' });
    expect(runner.view()).toEqual({ state: { step: 'welcome' }, seq: expect.any(Number), busy: false });
    expect([...pixels].every((b) => b === 0)).toBe(true);
    expect([...chipImage].every((b) => b === 0)).toBe(true);
    expect(site.dispose).toHaveBeenCalled();
  });

  it('turns a card pulled mid-read into a retryable failure, and retries with the same key', async () => {
    let attempts = 0;
    const reading: ChipReading = {
      read: async () => {
        attempts += 1;
        if (attempts === 1) throw new KioskError('CARD_REMOVED', 'card removed');
        return readOutcome();
      },
    };
    const { runner } = setup({ reading });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    expect(runner.view().state).toEqual({ step: 'failed', code: 'CARD_REMOVED', retry: 'present-card' });
    expect(runner.view().holder).toBeUndefined();
    await runner.act({ action: 'retry' });
    await settle();
    expect(runner.view().state).toMatchObject({ step: 'site' });
    expect(attempts).toBe(2);
  });

  it('ignores an outcome that arrives after cancel', async () => {
    let finish!: (r: ChipReadOutcome) => void;
    const reading: ChipReading = { read: () => new Promise((r) => (finish = r)) };
    const { runner } = setup({ reading });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await runner.act({ action: 'cancel' });
    finish(readOutcome());
    await settle();
    expect(runner.view()).toEqual({ state: { step: 'welcome' }, seq: expect.any(Number), busy: false });
  });

  it('offers another face try after a mismatch, keeps counting across it, and calls staff once', async () => {
    const match = vi.fn(async () => ({ decision: 'NO_MATCH' as const, score: 0.12 }));
    const callStaff = vi.fn();
    const { runner, audit } = setup({ face: { match }, deps: { callStaff } });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    expect(runner.view().state).toEqual({ step: 'failed', code: 'FACE_NO_MATCH', retry: 'face', faceAttempts: 1 });
    await runner.act({ action: 'retry' });
    await settle();
    // The limit is 2: the retry used the last attempt, so no third one is offered.
    expect(runner.view().state).toEqual({ step: 'failed', code: 'FACE_NO_MATCH' });
    expect(match).toHaveBeenCalledTimes(2);
    await runner.act({ action: 'retry' });
    await settle();
    expect(match).toHaveBeenCalledTimes(2);
    expect(runner.view().staffCalled).toBeUndefined();
    await runner.act({ action: 'call-staff' });
    await runner.act({ action: 'call-staff' });
    expect(callStaff).toHaveBeenCalledTimes(1);
    expect(callStaff).toHaveBeenCalledWith('FACE_NO_MATCH');
    expect(runner.view().staffCalled).toBe(true);
    expect(audit.recent(10).filter((r) => r.action === 'journey.staff-called')).toHaveLength(1);
  });

  it('does not call staff from a step that has not failed', async () => {
    const callStaff = vi.fn();
    const { runner } = setup({ deps: { callStaff } });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'call-staff' });
    expect(callStaff).not.toHaveBeenCalled();
    expect(runner.view().staffCalled).toBeUndefined();
  });

  it('clears a done screen nobody finished after doneMillis, dropping the person and the face offer', async () => {
    const { runner, audit } = setup({ deps: { doneMillis: 60 } });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    await runner.act({ action: 'site', payload: {} });
    await settle();
    expect(runner.view()).toMatchObject({ state: { step: 'done' }, holder: { fullName: 'Nguyễn Văn An' } });
    await new Promise((r) => setTimeout(r, 100));
    expect(runner.view()).toEqual({ state: { step: 'welcome' }, seq: expect.any(Number), busy: false });
    expect(audit.recent(5).map((r) => r.action)).toContain('journey.done-timeout');
  });

  it('lets a finished visit end early without the timer firing into the next person', async () => {
    const { runner, audit } = setup({ deps: { doneMillis: 60 } });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    await runner.act({ action: 'site', payload: {} });
    await settle();
    await runner.act({ action: 'cancel' });
    // The next person starts before the old timer would have fired.
    await runner.act({ action: 'start' });
    await new Promise((r) => setTimeout(r, 100));
    expect(runner.view().state).toEqual({ step: 'consent' });
    expect(audit.recent(10).map((r) => r.action)).not.toContain('journey.done-timeout');
  });

  it('reports an unreachable central service as retryable', async () => {
    const verification: IdentityVerification = { verify: async () => { throw new Error('ECONNREFUSED'); } };
    const { runner } = setup({ verification });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    expect(runner.view().state).toEqual({ step: 'failed', code: 'VERIFY_UNAVAILABLE', retry: 'verifying' });
  });
});

describe('journey runner: what the site receives', () => {
  it('hands the matched face templates to the site, never to the screen or the audit, and blanks them at the end', async () => {
    const chip = Float32Array.of(0.6, 0.8);
    const live = Float32Array.of(0.8, 0.6);
    const face: FaceMatching = { match: async () => ({ decision: 'MATCH', score: 0.82, verified: { model: 'clean', chip, live } }) };
    const { runner, views, audit, site } = setup({ face });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    const ctx = vi.mocked(site.start).mock.calls[0]![0];
    expect(ctx.face).toEqual({ model: 'clean', chip: Float32Array.of(0.6, 0.8), live: Float32Array.of(0.8, 0.6) });
    expect(ctx.evidence.face).toEqual({ decision: 'MATCH', score: 0.82 });
    expect(JSON.stringify(views)).not.toMatch(/0\.6|verified|"live"|"chip"/);
    expect(JSON.stringify(audit.recent(50))).not.toMatch(/0\.6|verified/);
    await runner.act({ action: 'cancel' });
    expect([...chip, ...live].every((v) => v === 0)).toBe(true);
  });

  it('hands no face to the site when the face step did not match', async () => {
    const face: FaceMatching = { match: async () => ({ decision: 'NO_MATCH', score: 0.1, verified: { model: 'clean', chip: Float32Array.of(1) } }) };
    const { runner, site } = setup({ face, deps: { policy: { ...policy, maxFaceAttempts: 1 } } });
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    expect(runner.view().state).toEqual({ step: 'failed', code: 'FACE_NO_MATCH' });
    expect(site.start).not.toHaveBeenCalled();
  });
});

describe('journey runner: purposes', () => {
  const toSite = async (runner: JourneyRunner, start: JourneyAction) => {
    await runner.act(start);
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
  };

  it('tells the flow the purpose the person chose, and audits which one', async () => {
    const { runner, site, audit } = setup({ deps: { purposes: ['register', 'pay'] } });
    await toSite(runner, { action: 'start', purpose: 'pay' });
    expect(vi.mocked(site.start).mock.calls[0]![0].purpose).toBe('pay');
    expect(audit.recent(50).find((r) => r.action === 'journey.start')?.detail).toBe(JSON.stringify({ purpose: 'pay' }));
  });

  it('refuses a purpose the site did not declare', async () => {
    const { runner } = setup({ deps: { purposes: ['register', 'pay'] } });
    await runner.act({ action: 'start', purpose: 'refund' });
    expect(runner.view().state).toEqual({ step: 'welcome' });
  });

  it('gives a plain start the site\'s only purpose, and no purpose where the site declares several or none', async () => {
    for (const [purposes, expected] of [[['register'], 'register'], [['register', 'pay'], undefined], [[], undefined]] as const) {
      const { runner, site } = setup({ deps: { purposes } });
      await toSite(runner, { action: 'start' });
      expect(vi.mocked(site.start).mock.calls[0]![0].purpose).toBe(expected);
    }
  });
});

describe('journey runner: entry by a scanned code', () => {
  const CODE = 'M1NGUYEN/VAN AN       EABC123 SGNHANVN 0123 001Y012A0001 100';
  const reference = { model: 'clean', template: Float32Array.of(1, 0) };
  const codeSite = (identify: JourneyDeps['identifyCode'], face: FaceMatching) => {
    const s = setup({ face, deps: { identifyCode: identify! } });
    const startWithCode = vi.fn(async () => ({ kind: 'view' as const, view: { siteStep: 'gate-open', data: {} } }));
    s.site.startWithCode = startWithCode;
    return { ...s, startWithCode };
  };
  const matching = (decision: 'MATCH' | 'NO_MATCH'): FaceMatching => ({
    match: async () => { throw new Error('the chip path must not run'); },
    matchReferences: vi.fn(async () => ({ decision, score: decision === 'MATCH' ? 0.9 : 0.1, ...(decision === 'MATCH' ? { verified: { model: 'clean', live: Float32Array.of(0.9, 0.1) } } : {}) })),
  });

  it('matches the face against the code\'s reference and starts the site with the subject, keeping the code out of the audit', async () => {
    const identify = vi.fn(async () => ({ known: true as const, subject: { id: 'pax-7', references: [reference] } }));
    const face = matching('MATCH');
    const { runner, audit, views, startWithCode, site } = codeSite(identify, face);
    await runner.scan(CODE);
    await settle();
    expect(identify).toHaveBeenCalledWith(CODE);
    expect(runner.view().state).toEqual({ step: 'consent', mode: 'code' });
    await runner.act({ action: 'consent', accepted: true });
    await settle();
    expect(vi.mocked(face.matchReferences!).mock.calls[0]![0]).toEqual([reference]);
    expect(startWithCode).toHaveBeenCalledWith('pax-7', expect.objectContaining({ evidence: expect.objectContaining({ by: 'code', face: { decision: 'MATCH', score: 0.9 } }), face: { model: 'clean', live: Float32Array.of(0.9, 0.1) } }));
    expect(site.start).not.toHaveBeenCalled();
    expect(runner.view().state).toEqual({ step: 'site', siteStep: 'gate-open' });
    const trail = JSON.stringify(audit.recent(50));
    expect(trail).not.toContain('ABC123');
    expect(trail).not.toContain('NGUYEN');
    expect(JSON.stringify(views)).not.toContain('ABC123');
  });

  it('never reaches the site when the face does not match the code\'s reference, however often it is tried', async () => {
    const identify = async () => ({ known: true as const, subject: { id: 'pax-7', references: [reference] } });
    const { runner, startWithCode, site } = codeSite(identify, matching('NO_MATCH'));
    await runner.act({ action: 'code', code: CODE });
    await settle();
    await runner.act({ action: 'consent', accepted: true });
    await settle();
    expect(runner.view().state).toMatchObject({ step: 'failed', code: 'FACE_NO_MATCH', retry: 'face' });
    await runner.act({ action: 'retry' });
    await settle();
    expect(runner.view().state).toEqual({ step: 'failed', code: 'FACE_NO_MATCH', against: 'code' });
    await runner.act({ action: 'retry' });
    await settle();
    expect(startWithCode).not.toHaveBeenCalled();
    expect(site.start).not.toHaveBeenCalled();
  });

  it('refuses an unknown code with the site\'s reason, and never passes on a reason that is not a code word', async () => {
    for (const [reason, shown] of [['PASS_EXPIRED', 'PASS_EXPIRED'], [`no booking for ${CODE}`, 'CODE_UNKNOWN']] as const) {
      const { runner, audit } = codeSite(async () => ({ known: false, reason }), matching('MATCH'));
      await runner.act({ action: 'code', code: CODE });
      await settle();
      expect(runner.view().state).toEqual({ step: 'failed', code: shown });
      expect(JSON.stringify(audit.recent(50))).not.toContain('ABC123');
    }
  });

  it('refuses a subject with no reference face rather than trusting the code alone', async () => {
    const { runner, startWithCode } = codeSite(async () => ({ known: true, subject: { id: 'pax-7', references: [] } }), matching('MATCH'));
    await runner.act({ action: 'code', code: CODE });
    await settle();
    expect(runner.view().state).toEqual({ step: 'failed', code: 'CODE_NO_FACE' });
    expect(startWithCode).not.toHaveBeenCalled();
  });

  it('lets the person tap their card instead, and the card path then starts the site as usual', async () => {
    const { runner, startWithCode, site } = codeSite(async () => ({ known: true, subject: { id: 'pax-7', references: [reference] } }), {
      match: async () => ({ decision: 'MATCH', score: 0.8 }),
      matchReferences: async (_r, _g, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    });
    await runner.act({ action: 'code', code: CODE });
    await settle();
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'use-card' });
    expect(runner.view().state).toEqual({ step: 'present-card', keyGiven: false });
    await runner.act({ action: 'key', key });
    await settle();
    expect(site.start).toHaveBeenCalledWith(expect.objectContaining({ evidence: expect.objectContaining({ by: 'card' }) }));
    expect(startWithCode).not.toHaveBeenCalled();
  });

  it('routes scans by step: a code at the start, the card\'s QR on the card step; too long a scan goes nowhere', async () => {
    const identify = vi.fn(async () => ({ known: false as const, reason: 'CODE_UNKNOWN' }));
    const { runner, audit } = setup({ deps: { identifyCode: identify } });
    await runner.scan('x'.repeat(600));
    expect(runner.view().state).toEqual({ step: 'welcome' });
    expect(audit.recent(5).map((r) => r.action)).toContain('journey.scan-refused');
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.scan('001092012345|123456789|Nguyễn Văn An|17031992|Nam|Hà Nội|15042021');
    await settle();
    expect(identify).not.toHaveBeenCalled();
    expect(runner.view().state).toMatchObject({ step: 'site' });
  });

  it('ignores a code where the site takes none', async () => {
    const { runner } = setup();
    await runner.act({ action: 'code', code: CODE });
    expect(runner.view().state).toEqual({ step: 'welcome' });
  });
});

describe('journey runner: identification against the site\'s gallery', () => {
  const gallery = { model: 'clean', search: async () => [] };
  const identify = vi.fn(async (_gallery: FaceGallery) => ({ decision: 'MATCH' as const, score: 0.97, subjectId: 'worker-12', verified: { model: 'clean', live: Float32Array.of(1, 0) } }));

  it('searches the site\'s gallery instead of the enrolled faces, and starts the site for whom it found', async () => {
    const enrolled = { identify: vi.fn(), enrol: vi.fn(), remove: vi.fn() };
    const { runner, site } = setup({
      face: { match: async () => ({ decision: 'MATCH', score: 0.8 }), identify },
      deps: { faceGallery: gallery, faceIdentification: enrolled },
    });
    const startReturning = vi.fn(async () => ({ kind: 'view' as const, view: { siteStep: 'door-open', data: {} } }));
    site.startReturning = startReturning;
    await runner.act({ action: 'start-face' });
    await runner.act({ action: 'consent', accepted: true });
    await settle();
    expect(identify.mock.calls[0]![0]).toBe(gallery);
    expect(enrolled.identify).not.toHaveBeenCalled();
    expect(startReturning).toHaveBeenCalledWith('worker-12', expect.objectContaining({ evidence: expect.objectContaining({ by: 'face' }), face: { model: 'clean', live: Float32Array.of(1, 0) } }));
    expect(runner.view().state).toEqual({ step: 'site', siteStep: 'door-open' });
  });

  it('offers no face start where neither the site nor the kiosk has faces to search', async () => {
    const { runner } = setup({ face: { match: async () => ({ decision: 'MATCH', score: 0.8 }), identify } });
    await runner.act({ action: 'start-face' });
    expect(runner.view().state).toEqual({ step: 'welcome' });
  });
});

describe('journey runner: unattended stations', () => {
  const gallery = { model: 'clean', search: async () => [] };
  const watchingFace = (decision: 'MATCH' | 'NO_MATCH') => {
    const seen: (() => void)[] = [];
    const face: FaceMatching = {
      match: async () => ({ decision: 'MATCH', score: 0.8 }),
      // Resolves when the test shows a face; a cancelled watch ends with false.
      watch: vi.fn((signal: AbortSignal) => new Promise<boolean>((resolve) => {
        seen.push(() => resolve(true));
        signal.addEventListener('abort', () => resolve(false));
      })),
      identify: vi.fn(async () => (decision === 'MATCH' ? { decision, score: 0.97, subjectId: 'worker-12' } : { decision, score: 0.2 })),
    };
    return { face, showFace: () => seen.at(-1)!() };
  };
  const siteWithReturning = (site: SiteFlow) => {
    site.startReturning = vi.fn(async () => ({ kind: 'done' as const, receipt: { print: async () => ({ previewPng: Uint8Array.of(1), printed: true }), summary: {} } }));
  };

  it('starts identification when a face comes into view, without a consent screen, and audits where consent was given', async () => {
    const { face, showFace } = watchingFace('MATCH');
    const { runner, site, audit, views } = setup({ face, deps: { faceGallery: gallery, unattended: { consentGivenAt: 'enrolment' }, unattendedResetMillis: 40 } });
    siteWithReturning(site);
    await settle();
    expect(face.watch).toHaveBeenCalledTimes(1);
    showFace();
    await settle();
    expect(site.startReturning).toHaveBeenCalledWith('worker-12', expect.anything());
    expect(runner.view().state).toEqual({ step: 'done' });
    expect(views.map((v) => v.state.step)).not.toContain('consent');
    const rows = audit.recent(20);
    expect(rows.map((r) => r.action)).not.toContain('journey.consent-given');
    expect(rows.find((r) => r.action === 'journey.start-face')?.detail).toBe(JSON.stringify({ consentGivenAt: 'enrolment' }));
    // A few seconds later it watches again, for the next person.
    await new Promise((r) => setTimeout(r, 80));
    expect(runner.view().state).toEqual({ step: 'welcome' });
    expect(face.watch).toHaveBeenCalledTimes(2);
  });

  it('returns from a failure to watching too', async () => {
    const { face, showFace } = watchingFace('MATCH');
    const { runner, site } = setup({ face, deps: { faceGallery: gallery, unattended: { consentGivenAt: 'enrolment' }, unattendedResetMillis: 40 } });
    site.startReturning = vi.fn(async () => ({ kind: 'failed' as const, code: 'DOOR_NOT_ALLOWED', retryable: false }));
    showFace();
    await settle();
    expect(runner.view().state).toEqual({ step: 'failed', code: 'DOOR_NOT_ALLOWED' });
    await new Promise((r) => setTimeout(r, 80));
    expect(runner.view().state).toEqual({ step: 'welcome' });
  });

  it('never watches, and keeps the consent screen, where the site did not declare the station unattended', async () => {
    const { face } = watchingFace('MATCH');
    const { runner } = setup({ face, deps: { faceGallery: gallery } });
    await settle();
    expect(face.watch).not.toHaveBeenCalled();
    await runner.act({ action: 'start-face' });
    expect(runner.view().state).toEqual({ step: 'consent', mode: 'face' });
  });

  it('stops watching for good when closed', async () => {
    const { face } = watchingFace('MATCH');
    const { runner } = setup({ face, deps: { faceGallery: gallery, unattended: { consentGivenAt: 'enrolment' } } });
    const watch = vi.mocked(face.watch!);
    await runner.close();
    expect(watch.mock.calls[0]![0].aborted).toBe(true);
    expect(watch).toHaveBeenCalledTimes(1);
  });
});

describe('journey runner: the next person of the same visit', () => {
  it('keeps the site flow, forgets the first person, verifies the next in full and hands them to addPerson', async () => {
    const reads: ChipReadOutcome[] = [];
    const reading: ChipReading = {
      read: async () => {
        const r = readOutcome();
        if (reads.length === 1) (r.holder as { fullName: string }).fullName = 'Trần Thị Bình';
        reads.push(r);
        return r;
      },
    };
    const { runner, site, views } = setup({ reading });
    site.start = vi.fn(async () => ({ kind: 'next-person' as const }));
    site.addPerson = vi.fn(async () => ({ kind: 'view' as const, view: { siteStep: 'passengers', data: {} } }));
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    expect(runner.view().state).toEqual({ step: 'consent', next: true });
    await runner.act({ action: 'consent', accepted: true });
    expect(runner.view().state).toEqual({ step: 'present-card', keyGiven: false, next: true });
    // The first person is gone from memory and from the screen; the flow is not disposed.
    expect(runner.view().holder).toBeUndefined();
    expect([...reads[0]!.portrait.data].every((b) => b === 0)).toBe(true);
    expect(site.dispose).not.toHaveBeenCalled();
    await runner.act({ action: 'key', key });
    await settle();
    expect(site.start).toHaveBeenCalledTimes(1);
    expect(site.addPerson).toHaveBeenCalledWith(expect.objectContaining({ holder: expect.objectContaining({ fullName: 'Trần Thị Bình' }), evidence: expect.objectContaining({ by: 'card', central: 'VERIFIED' }) }));
    expect(runner.view().state).toEqual({ step: 'site', siteStep: 'passengers' });
    expect(views.map((v) => v.state.step).filter((s) => s === 'verifying')).toHaveLength(2);
  });

  it('fails plainly when a flow asks for the next person but cannot take one', async () => {
    const { runner, site } = setup();
    site.start = vi.fn(async () => ({ kind: 'next-person' as const }));
    await runner.act({ action: 'start' });
    await runner.act({ action: 'consent', accepted: true });
    await runner.act({ action: 'key', key });
    await settle();
    expect(runner.view().state).toEqual({ step: 'failed', code: 'SITE_NOT_AVAILABLE' });
  });
});

describe('journey runner: views in order', () => {
  it('numbers every view it publishes in increasing order, and an action answers with the latest', async () => {
    const { runner, views } = setup({ deps: { identifyCode: async () => ({ known: false, reason: 'CODE_UNKNOWN' }) } });
    const answer = await runner.act({ action: 'code', code: 'PASS-0001-XYZ' });
    await settle();
    // The site answered before the action's own answer could reach the screen: the answer is older.
    expect(views.map((v) => v.state.step)).toEqual(['checking-code', 'failed']);
    const seqs = views.map((v) => v.seq!);
    expect(seqs[1]).toBeGreaterThan(seqs[0]!);
    expect(answer.seq).toBeLessThan(seqs[1]!);
    expect(runner.view().seq).toBe(seqs[1]);
  });
});
