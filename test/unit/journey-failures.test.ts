/**
 * Every failure in every step reaches a screen with a way forward: the failure screen (home, and
 * "try again" where it can help), the card prompt with the problem named, or the done screen (a
 * printer problem keeps the registration). First over the pure machine, step by step; then over the
 * runner, with each port failing in each way a port can fail.
 */
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../app/core/errors.ts';
import { initialState, isBusy, transition, type JourneyEvent, type JourneyPolicy, type JourneyState, type ReadSummary } from '../../app/core/journey/journey.ts';
import type { ChipEvidence } from '../../app/core/verification/subject.ts';
import type { ChipReadOutcome, FaceIdentification } from '../../app/core/journey/ports.ts';
import type { SiteFlow, SiteResult } from '../../app/core/journey/site-flow.ts';
import { JourneyRunner, type JourneyDeps } from '../../app/host/journey-runner.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';

const policy: JourneyPolicy = { acceptUnanchoredSigner: true, requireChipGenuine: ['cccd'], central: 'allow-offline', faceRequired: true, maxFaceAttempts: 2 };
const summary: ReadSummary = { passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', accessMethod: 'PACE-CAN', documentType: 'cccd' };

/** One state of every step. */
const STATES: Record<JourneyState['step'], JourneyState> = {
  welcome: { step: 'welcome' },
  consent: { step: 'consent' },
  'checking-code': { step: 'checking-code' },
  'face-identify': { step: 'face-identify', guidance: [] },
  'present-card': { step: 'present-card', keyGiven: true },
  reading: { step: 'reading', bytesRead: 10, totalBytes: 100 },
  face: { step: 'face', guidance: [], attempt: 1 },
  verifying: { step: 'verifying' },
  site: { step: 'site', siteStep: 'department' },
  printing: { step: 'printing' },
  done: { step: 'done' },
  failed: { step: 'failed', code: 'X', retry: 'site' },
};
/** Steps where the host runs work whose failure the machine must take. */
const WORKING = ['checking-code', 'face-identify', 'reading', 'face', 'verifying', 'site', 'printing'] as const;

/** A screen the person can leave by themselves: nothing runs, and a button leads on. */
function wayForward(s: JourneyState): boolean {
  if (isBusy(s)) return false;
  if (s.step === 'failed' || s.step === 'done') return true;
  return s.step === 'present-card' && s.problem !== undefined && !s.keyGiven;
}

const failures = (code: string): JourneyEvent[] => [
  { type: 'STEP_FAILED', code, retryable: true },
  { type: 'STEP_FAILED', code, retryable: false },
];

describe('journey machine: every failure of every working step', () => {
  for (const step of WORKING) {
    for (const code of ['CARD_REMOVED', 'ACCESS_DENIED_WRONG_KEY', 'FACE_UNAVAILABLE', 'HIS_TIMEOUT', 'INTERNAL']) {
      for (const event of failures(code)) {
        it(`${step} + STEP_FAILED ${code} (${event.type === 'STEP_FAILED' && event.retryable ? 'retryable' : 'final'})`, () => {
          const next = transition(STATES[step], event, policy);
          expect(wayForward(next), JSON.stringify(next)).toBe(true);
          // Home always works; "try again" leads back to work, never to the same failure screen.
          expect(transition(next, { type: 'CANCEL' }, policy)).toEqual(initialState);
          if (next.step === 'failed' && next.retry) {
            const again = transition(next, { type: 'RETRY' }, policy);
            expect(again.step).not.toBe('failed');
            expect(again.step).toBe(next.retry);
          }
        });
      }
    }
  }

  it('every central answer the site does not accept ends on the failure screen', () => {
    for (const verdict of ['UNAVAILABLE', 'MISMATCH', 'NOT_FOUND', 'REVOKED', 'EXPIRED', 'DENIED', 'SECURITY_FAILURE', 'NOT_CONFIGURED', 'SOMETHING_NEW']) {
      for (const pa of ['PA_OK', 'PA_NO_TRUST_ANCHOR']) {
        const next = transition({ step: 'verifying' }, { type: 'VERIFY_DONE', outcome: { verdict }, summary: { ...summary, passiveAuth: pa } }, policy);
        expect(next.step, `${pa} ${verdict}`).toBe('failed');
      }
    }
  });

  it('a read whose verdicts stop the journey ends on the failure screen', () => {
    for (const s of [{ passiveAuth: 'PA_HASH_MISMATCH' }, { chipAuth: 'CHIP_CLONE_SUSPECTED' }, { chipAuth: 'CHIP_NOT_CHECKED' }]) {
      expect(transition(STATES.reading, { type: 'READ_DONE', summary: { ...summary, ...s } }, policy).step).toBe('failed');
    }
  });

  it('steps where nothing runs ignore a failure (nothing of theirs can fail)', () => {
    for (const step of ['welcome', 'consent', 'present-card', 'done', 'failed'] as const) {
      expect(transition(STATES[step], { type: 'STEP_FAILED', code: 'X', retryable: true }, policy)).toBe(STATES[step]);
    }
  });
});

// ---- the runner, with failing ports ----

type Port = 'read' | 'face' | 'verify' | 'siteFactory' | 'siteStart' | 'siteAct' | 'print' | 'identify';
type Mode = 'kiosk-error' | 'bug' | 'sync-throw';

/** A port that fails: a typed KioskError, a bug (plain error), or a throw before any promise exists. */
function failing<T>(mode: Mode, code: string): Promise<T> {
  if (mode === 'kiosk-error') return Promise.reject(new KioskError(code, 'the fake port failed'));
  if (mode === 'bug') return Promise.reject(new TypeError('a bug in the port'));
  throw new TypeError('a synchronous bug in the port');
}

const readOutcome = (): ChipReadOutcome => ({
  summary,
  holder: { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' },
  portrait: { width: 1, height: 1, data: Uint8Array.of(200, 150, 100) },
  evidence: { document: {} } as ChipEvidence, // the fake verification never looks at it
});

function harness(fail: { port: Port; mode: Mode } | undefined, over: Partial<JourneyDeps> = {}) {
  const db = openDatabase(':memory:');
  const audit = new AuditLog(db);
  const unexpected: unknown[] = [];
  const f = <T>(port: Port, ok: () => Promise<T>): Promise<T> => (fail?.port === port ? failing<T>(fail.mode, `${port.toUpperCase()}_DOWN`) : ok());
  const done: SiteResult = { kind: 'done', receipt: { print: () => f('print', async () => ({ previewPng: Uint8Array.of(1), printed: true })), summary: {} } };
  const site = (): SiteFlow => {
    // The factory is synchronous: it can only throw.
    if (fail?.port === 'siteFactory') throw fail.mode === 'kiosk-error' ? new KioskError('SITEFACTORY_DOWN', 'no site') : new TypeError('a bug in the site factory');
    return {
      start: () => f('siteStart', async () => ({ kind: 'view', view: { siteStep: 'department', data: {} } })),
      startReturning: () => f('siteStart', async () => ({ kind: 'view', view: { siteStep: 'department', data: {} } })),
      act: () => f('siteAct', async () => done),
      dispose: () => undefined,
    };
  };
  const faceIdentification: FaceIdentification = {
    identify: () => f('identify', async () => ({ decision: 'MATCH', score: 0.9, subjectId: 'P-1' })),
    enrol: async () => undefined,
    remove: async () => 0,
  };
  const runner = new JourneyRunner({
    reading: { read: () => f('read', async () => readOutcome()) },
    face: { match: () => f('face', async () => ({ decision: 'MATCH', score: 0.9 })) },
    faceIdentification,
    verification: { verify: () => f('verify', async () => ({ verdict: 'VERIFIED' })) },
    site,
    parseScan: () => ({ kind: 'id-number', idNumber: '001092012345', source: 'qr' }),
    policy,
    audit,
    publish: () => undefined,
    onUnexpected: (e) => unexpected.push(e),
    ...over,
  });
  return { runner, audit, unexpected };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

/** Walks as far as the failing port lets the person go. */
async function walk(runner: JourneyRunner, byFace: boolean): Promise<void> {
  await runner.act({ action: byFace ? 'start-face' : 'start' });
  await runner.act({ action: 'consent', accepted: true });
  await settle();
  if (!byFace) {
    await runner.act({ action: 'key', key: { kind: 'id-number', idNumber: '001092012345', source: 'typed-id' } });
    await settle();
  }
  if (runner.view().state.step === 'site') {
    await runner.act({ action: 'site', payload: { choose: 'clinic' } });
    await settle();
  }
}

const PORTS: Port[] = ['read', 'face', 'verify', 'siteFactory', 'siteStart', 'siteAct', 'print', 'identify'];
const MODES: Mode[] = ['kiosk-error', 'bug', 'sync-throw'];

describe('journey runner: every port failing in every way', () => {
  it('walks to the done screen when nothing fails (the harness itself works)', async () => {
    for (const byFace of [false, true]) {
      const { runner } = harness(undefined);
      await walk(runner, byFace);
      expect(runner.view().state).toEqual({ step: 'done' });
    }
  });

  for (const port of PORTS) {
    for (const mode of MODES) {
      it(`${port} fails (${mode}): a screen with a way forward, and home works`, async () => {
        const { runner, unexpected, audit } = harness({ port, mode });
        await walk(runner, port === 'identify');
        const view = runner.view();
        expect(wayForward(view.state), JSON.stringify(view.state)).toBe(true);
        expect(view.busy).toBe(false);
        // A bug is told to the host's log; a typed failure is the port's own word for the person.
        expect(unexpected.length > 0).toBe(mode !== 'kiosk-error');
        if (view.state.step === 'failed') {
          expect(audit.recent(30).some((r) => r.action === 'journey.failed')).toBe(true);
          if (mode === 'kiosk-error') expect(view.state.code).toBe(`${port.toUpperCase()}_DOWN`);
        }
        if (view.state.step === 'failed' && view.state.retry) {
          await runner.act({ action: 'retry' });
          await settle();
          // Never a waiting screen: a way forward again, or the site's screen the person acts on.
          const after = runner.view();
          expect(after.busy).toBe(false);
          expect(wayForward(after.state) || (after.state.step === 'site' && after.site !== undefined), JSON.stringify(after.state)).toBe(true);
        }
        await runner.act({ action: 'cancel' });
        expect(runner.view().state).toEqual(initialState);
      });
    }
  }

  it('a site asking for the face with no face engine fails the face step instead of waiting for it', async () => {
    const { runner } = harness(undefined, { face: undefined });
    await walk(runner, false);
    expect(runner.view().state).toEqual({ step: 'failed', code: 'FACE_UNAVAILABLE' });
  });

  it('a face alone where the site has no returning path fails instead of waiting', async () => {
    const bare = (): SiteFlow => ({ start: async () => ({ kind: 'view', view: { siteStep: 's', data: {} } }), act: async () => ({ kind: 'failed', code: 'X', retryable: false }), dispose: () => undefined });
    const { runner } = harness(undefined, { site: bare });
    await walk(runner, true);
    expect(runner.view().state).toEqual({ step: 'failed', code: 'SITE_NOT_AVAILABLE' });
  });
});
