import { describe, expect, it } from 'vitest';
import { initialState, isBusy, transition, type JourneyEvent, type JourneyState, type TrustPolicy } from '../../app/core/journey/journey.ts';

const policy: TrustPolicy = {
  acceptPassiveAuth: ['PA_OK', 'PA_NO_TRUST_ANCHOR'],
  faceRequired: true,
  acceptVerification: ['VERIFIED', 'PENDING'],
  maxFaceAttempts: 3,
};
const genuine = { passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', accessMethod: 'PACE-CAN' };

function run(events: JourneyEvent[], from: JourneyState = initialState, p = policy): JourneyState {
  return events.reduce((s, e) => transition(s, e, p), from);
}

const toReading: JourneyEvent[] = [{ type: 'START' }, { type: 'CONSENT', accepted: true }, { type: 'KEY_GIVEN', source: 'qr' }, { type: 'READ_STARTED' }];

describe('check-in journey', () => {
  it('walks the whole path in order', () => {
    const s = run([...toReading, { type: 'READ_PROGRESS', bytesRead: 100, totalBytes: 400 }]);
    expect(s).toEqual({ step: 'reading', bytesRead: 100, totalBytes: 400 });
    expect(isBusy(s)).toBe(true);
    const done = run([{ type: 'READ_DONE', summary: genuine }, { type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 0.8 } }, { type: 'VERIFY_DONE', outcome: { verdict: 'VERIFIED' } }, { type: 'SITE_STEP', siteStep: 'department' }, { type: 'SITE_DONE' }, { type: 'PRINT_DONE' }], s);
    expect(done).toEqual({ step: 'done' });
  });

  it('never starts without consent, and declining returns to the start', () => {
    expect(run([{ type: 'START' }, { type: 'KEY_GIVEN', source: 'qr' }])).toEqual({ step: 'consent' });
    expect(run([{ type: 'START' }, { type: 'CONSENT', accepted: false }])).toEqual(initialState);
  });

  it('needs the card key before a read can start', () => {
    expect(run([{ type: 'START' }, { type: 'CONSENT', accepted: true }, { type: 'READ_STARTED' }])).toEqual({ step: 'present-card', keyGiven: false });
  });

  it('asks for the key again when the chip refuses it', () => {
    expect(run([...toReading, { type: 'READ_FAILED', code: 'ACCESS_DENIED_WRONG_KEY' }])).toEqual({ step: 'present-card', keyGiven: false, problem: 'ACCESS_DENIED_WRONG_KEY' });
  });

  it('offers a retry of the read when the card is pulled out', () => {
    const failed = run([...toReading, { type: 'READ_FAILED', code: 'CARD_REMOVED' }]);
    expect(failed).toEqual({ step: 'failed', code: 'CARD_REMOVED', retry: 'present-card' });
    expect(run([{ type: 'RETRY' }], failed)).toEqual({ step: 'present-card', keyGiven: true });
  });

  it('stops for good on a suspected clone even with valid data', () => {
    const s = run([...toReading, { type: 'READ_DONE', summary: { ...genuine, chipAuth: 'CHIP_CLONE_SUSPECTED' } }]);
    expect(s).toEqual({ step: 'failed', code: 'CHIP_CLONE_SUSPECTED' });
    expect(run([{ type: 'RETRY' }], s)).toBe(s);
  });

  it('stops on forged data but accepts data it could not check against a trust anchor', () => {
    expect(run([...toReading, { type: 'READ_DONE', summary: { ...genuine, passiveAuth: 'PA_HASH_MISMATCH' } }])).toEqual({ step: 'failed', code: 'PA_HASH_MISMATCH' });
    expect(run([...toReading, { type: 'READ_DONE', summary: { ...genuine, passiveAuth: 'PA_NO_TRUST_ANCHOR' } }]).step).toBe('face');
  });

  it('gives the face a bounded number of tries', () => {
    let s = run([...toReading, { type: 'READ_DONE', summary: genuine }]);
    s = run([{ type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }], s);
    expect(s).toEqual({ step: 'face', guidance: ['FACE_TRY_AGAIN'], attempt: 1 });
    s = run([{ type: 'FACE_DONE', outcome: { decision: 'UNCERTAIN', score: 0.4 } }, { type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }], s);
    expect(s).toEqual({ step: 'failed', code: 'FACE_NO_MATCH' });
  });

  it('retries an unreachable central service, but not a refusal', () => {
    const atVerify = run([...toReading, { type: 'READ_DONE', summary: genuine }, { type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 0.9 } }]);
    const unavailable = run([{ type: 'VERIFY_DONE', outcome: { verdict: 'UNAVAILABLE' } }], atVerify);
    expect(unavailable).toEqual({ step: 'failed', code: 'VERIFY_UNAVAILABLE', retry: 'verifying' });
    expect(run([{ type: 'RETRY' }], unavailable)).toEqual({ step: 'verifying' });
    expect(run([{ type: 'VERIFY_DONE', outcome: { verdict: 'REVOKED' } }], atVerify)).toEqual({ step: 'failed', code: 'VERIFY_REVOKED' });
    expect(run([{ type: 'VERIFY_DONE', outcome: { verdict: 'PENDING' } }], atVerify)).toEqual({ step: 'site', siteStep: 'start' });
  });

  it('skips the face step where the site does not require it', () => {
    expect(run([...toReading, { type: 'READ_DONE', summary: genuine }], initialState, { ...policy, faceRequired: false })).toEqual({ step: 'verifying' });
  });

  it('keeps the registration when the printer fails (the ticket is on screen)', () => {
    expect(run([{ type: 'PRINT_FAILED', code: 'PAPER_OUT' }], { step: 'printing' })).toEqual({ step: 'done' });
  });

  it('cancels from any step, and ignores events that do not fit', () => {
    const reading = run(toReading);
    expect(run([{ type: 'CANCEL' }], reading)).toEqual(initialState);
    expect(run([{ type: 'PRINT_DONE' }, { type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 1 } }], reading)).toBe(reading);
  });
});
