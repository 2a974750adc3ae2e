import { describe, expect, it } from 'vitest';
import { initialState, isBusy, transition, type JourneyEvent, type JourneyPolicy, type JourneyState, type ReadSummary } from '../../app/core/journey/journey.ts';

const policy: JourneyPolicy = {
  acceptUnanchoredSigner: true,
  requireChipGenuine: ['cccd'],
  central: 'allow-offline',
  faceRequired: true,
  maxFaceAttempts: 3,
};
const genuine: ReadSummary = { passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', accessMethod: 'PACE-CAN', documentType: 'cccd' };
const verified = (verdict: string, summary = genuine): JourneyEvent => ({ type: 'VERIFY_DONE', outcome: { verdict }, summary });

function run(events: JourneyEvent[], from: JourneyState = initialState, p = policy): JourneyState {
  return events.reduce((s, e) => transition(s, e, p), from);
}

const toReading: JourneyEvent[] = [{ type: 'START' }, { type: 'CONSENT', accepted: true }, { type: 'KEY_GIVEN', source: 'qr' }, { type: 'READ_STARTED' }];

describe('check-in journey', () => {
  it('walks the whole path in order', () => {
    const s = run([...toReading, { type: 'READ_PROGRESS', bytesRead: 100, totalBytes: 400 }]);
    expect(s).toEqual({ step: 'reading', bytesRead: 100, totalBytes: 400 });
    expect(isBusy(s)).toBe(true);
    const done = run([{ type: 'READ_DONE', summary: genuine }, { type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 0.8 } }, verified('VERIFIED'), { type: 'SITE_STEP', siteStep: 'department' }, { type: 'SITE_DONE' }, { type: 'PRINT_DONE' }], s);
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
    expect(run([...toReading, { type: 'STEP_FAILED', code: 'ACCESS_DENIED_WRONG_KEY', retryable: true }])).toEqual({ step: 'present-card', keyGiven: false, problem: 'ACCESS_DENIED_WRONG_KEY' });
  });

  it('offers a retry of the read when the card is pulled out', () => {
    const failed = run([...toReading, { type: 'STEP_FAILED', code: 'CARD_REMOVED', retryable: true }]);
    expect(failed).toEqual({ step: 'failed', code: 'CARD_REMOVED', retry: 'present-card' });
    expect(run([{ type: 'RETRY' }], failed)).toEqual({ step: 'present-card', keyGiven: true });
  });

  it('stops for good on a suspected clone even with valid data', () => {
    const s = run([...toReading, { type: 'READ_DONE', summary: { ...genuine, chipAuth: 'CHIP_CLONE_SUSPECTED' } }]);
    expect(s).toEqual({ step: 'failed', code: 'CHIP_CLONE_SUSPECTED' });
    expect(run([{ type: 'RETRY' }], s)).toBe(s);
  });

  it('stops on forged data; an unanchored signer goes on only to the central service, and only its online VERIFIED lets it through', () => {
    expect(run([...toReading, { type: 'READ_DONE', summary: { ...genuine, passiveAuth: 'PA_HASH_MISMATCH' } }])).toEqual({ step: 'failed', code: 'PA_HASH_MISMATCH' });
    const unanchored: ReadSummary = { ...genuine, passiveAuth: 'PA_NO_TRUST_ANCHOR' };
    const atVerify = run([...toReading, { type: 'READ_DONE', summary: unanchored }, { type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 0.9 } }]);
    expect(atVerify).toEqual({ step: 'verifying' });
    expect(run([verified('VERIFIED', unanchored)], atVerify)).toEqual({ step: 'site', siteStep: 'start' });
    expect(run([verified('PENDING', unanchored)], atVerify)).toEqual({ step: 'failed', code: 'UNANCHORED_CENTRAL_OFFLINE', retry: 'verifying' });
    expect(run([verified('MISMATCH', unanchored)], atVerify)).toEqual({ step: 'failed', code: 'VERIFY_MISMATCH' });
    // Where the site does not accept unanchored signers, or has no central service, staff decide at once.
    expect(run([...toReading, { type: 'READ_DONE', summary: unanchored }], initialState, { ...policy, acceptUnanchoredSigner: false })).toEqual({ step: 'failed', code: 'PA_NO_TRUST_ANCHOR' });
    expect(run([...toReading, { type: 'READ_DONE', summary: unanchored }], initialState, { ...policy, central: 'none' })).toEqual({ step: 'failed', code: 'UNANCHORED_NO_CENTRAL' });
  });

  it('asks a CCCD chip to prove itself genuine, but not a passport that cannot', () => {
    const notChecked = { ...genuine, chipAuth: 'CHIP_NOT_CHECKED' };
    expect(run([...toReading, { type: 'READ_DONE', summary: notChecked }])).toEqual({ step: 'failed', code: 'CHIP_GENUINE_REQUIRED' });
    expect(run([...toReading, { type: 'READ_DONE', summary: { ...notChecked, documentType: 'icao' } }]).step).toBe('face');
    expect(run([...toReading, { type: 'READ_DONE', summary: notChecked }], initialState, { ...policy, requireChipGenuine: [] }).step).toBe('face');
  });

  it('gives the face a bounded number of tries: a mismatch asks the person, an unsure match tries again', () => {
    let s = run([...toReading, { type: 'READ_DONE', summary: genuine }]);
    // Not sure (a poor frame): the kiosk guides and tries again by itself.
    s = run([{ type: 'FACE_DONE', outcome: { decision: 'UNCERTAIN', score: 0.4 } }], s);
    expect(s).toEqual({ step: 'face', guidance: ['FACE_UNCERTAIN_TRY_AGAIN'], attempt: 1 });
    // A different face: the person is told, and may try again while attempts remain.
    s = run([{ type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }], s);
    expect(s).toEqual({ step: 'failed', code: 'FACE_NO_MATCH', retry: 'face', faceAttempts: 2 });
    // Trying again goes on counting: the third attempt is the last.
    s = run([{ type: 'RETRY' }], s);
    expect(s).toEqual({ step: 'face', guidance: [], attempt: 2 });
    s = run([{ type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }], s);
    expect(s).toEqual({ step: 'failed', code: 'FACE_NO_MATCH' });
    expect(run([{ type: 'RETRY' }], s)).toBe(s);
  });

  it('does not hand out fresh face attempts when the face engine fails and the person retries', () => {
    let s = run([...toReading, { type: 'READ_DONE', summary: genuine }, { type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }, { type: 'RETRY' }]);
    expect(s).toMatchObject({ step: 'face', attempt: 1 });
    s = run([{ type: 'STEP_FAILED', code: 'FACE_FAILED', retryable: true }, { type: 'RETRY' }], s);
    expect(s).toEqual({ step: 'face', guidance: [], attempt: 1 });
    s = run([{ type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }, { type: 'RETRY' }, { type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }], s);
    expect(s).toEqual({ step: 'failed', code: 'FACE_NO_MATCH' });
  });

  it('ends at once where the site allows a single face attempt', () => {
    const s = run([...toReading, { type: 'READ_DONE', summary: genuine }, { type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }], initialState, { ...policy, maxFaceAttempts: 1 });
    expect(s).toEqual({ step: 'failed', code: 'FACE_NO_MATCH' });
  });

  it('retries an unreachable central service, but not a refusal', () => {
    const atVerify = run([...toReading, { type: 'READ_DONE', summary: genuine }, { type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 0.9 } }]);
    const unavailable = run([verified('UNAVAILABLE')], atVerify);
    expect(unavailable).toEqual({ step: 'failed', code: 'VERIFY_UNAVAILABLE', retry: 'verifying' });
    expect(run([{ type: 'RETRY' }], unavailable)).toEqual({ step: 'verifying' });
    expect(run([verified('REVOKED')], atVerify)).toEqual({ step: 'failed', code: 'VERIFY_REVOKED' });
    expect(run([verified('PENDING')], atVerify)).toEqual({ step: 'site', siteStep: 'start' });
  });

  it('skips the face step where the site does not require it', () => {
    expect(run([...toReading, { type: 'READ_DONE', summary: genuine }], initialState, { ...policy, faceRequired: false })).toEqual({ step: 'verifying' });
  });

  it('keeps the registration when the printer fails (the ticket is on screen)', () => {
    expect(run([{ type: 'STEP_FAILED', code: 'PAPER_OUT', retryable: false }], { step: 'printing' })).toEqual({ step: 'done' });
  });

  it('cancels from any step, and ignores events that do not fit', () => {
    const reading = run(toReading);
    expect(run([{ type: 'CANCEL' }], reading)).toEqual(initialState);
    expect(run([{ type: 'PRINT_DONE' }, { type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 1 } }], reading)).toBe(reading);
  });
});

describe('check-in journey: entry by a scanned code', () => {
  const known: JourneyEvent = { type: 'CODE_IDENTIFIED', known: true };
  const toCodeFace: JourneyEvent[] = [{ type: 'CODE_SCANNED' }, known, { type: 'CONSENT', accepted: true }];
  const face = (decision: 'MATCH' | 'NO_MATCH' | 'UNCERTAIN'): JourneyEvent => ({ type: 'FACE_DONE', outcome: { decision, score: 0.5 } });

  it('asks the site, then for consent, then matches the face against the code, and a MATCH goes straight to the site', () => {
    expect(run([{ type: 'CODE_SCANNED' }])).toEqual({ step: 'checking-code' });
    expect(isBusy(run([{ type: 'CODE_SCANNED' }]))).toBe(true);
    expect(run([{ type: 'CODE_SCANNED' }, known])).toEqual({ step: 'consent', mode: 'code' });
    expect(run(toCodeFace)).toEqual({ step: 'face', guidance: [], attempt: 0, against: 'code' });
    expect(run([...toCodeFace, face('MATCH')])).toEqual({ step: 'site', siteStep: 'start' });
  });

  it('ends an unknown code on a failure with the site\'s reason, and a failed code check likewise', () => {
    expect(run([{ type: 'CODE_SCANNED' }, { type: 'CODE_IDENTIFIED', known: false, reason: 'PASS_EXPIRED' }])).toEqual({ step: 'failed', code: 'PASS_EXPIRED' });
    expect(run([{ type: 'CODE_SCANNED' }, { type: 'STEP_FAILED', code: 'DCS_TIMEOUT', retryable: true }])).toEqual({ step: 'failed', code: 'DCS_TIMEOUT' });
  });

  it('never reaches the site when the face does not match the code: attempts as on the card path, then the end', () => {
    const first = run([...toCodeFace, face('NO_MATCH')]);
    expect(first).toEqual({ step: 'failed', code: 'FACE_NO_MATCH', retry: 'face', faceAttempts: 1, against: 'code' });
    const again = transition(first, { type: 'RETRY' }, policy);
    expect(again).toEqual({ step: 'face', guidance: [], attempt: 1, against: 'code' });
    const last = run([face('UNCERTAIN'), face('NO_MATCH')], again);
    expect(last).toEqual({ step: 'failed', code: 'FACE_NO_MATCH', against: 'code' });
    // Nothing moves a final failure to the site; only home, or the card.
    for (const e of [{ type: 'RETRY' }, { type: 'SITE_STEP', siteStep: 'x' }, { type: 'SITE_DONE' }, face('MATCH')] as JourneyEvent[]) {
      expect(transition(last, e, policy)).toBe(last);
    }
  });

  it('keeps the card path open from the code\'s face step and its failures, and only there', () => {
    expect(run([...toCodeFace, { type: 'USE_CARD' }])).toEqual({ step: 'present-card', keyGiven: false });
    expect(run([...toCodeFace, face('NO_MATCH'), { type: 'USE_CARD' }])).toEqual({ step: 'present-card', keyGiven: false });
    const cardFace = run([...toReading, { type: 'READ_DONE', summary: genuine }]);
    expect(transition(cardFace, { type: 'USE_CARD' }, policy)).toBe(cardFace);
    // The card path's face still goes on to the central check.
    expect(transition(cardFace, face('MATCH'), policy)).toEqual({ step: 'verifying' });
  });

  it('takes a code only at the start', () => {
    for (const s of [run([{ type: 'START' }]), run([{ type: 'START' }, { type: 'CONSENT', accepted: true }]), run(toCodeFace)]) {
      expect(transition(s, { type: 'CODE_SCANNED' }, policy)).toBe(s);
    }
  });
});

describe('check-in journey: unattended stations', () => {
  const unattended: JourneyPolicy = { ...policy, unattended: true };

  it('skips consent at a station its site declares unattended, whichever way the person comes in', () => {
    expect(run([{ type: 'START_BY_FACE' }], initialState, unattended)).toEqual({ step: 'face-identify', guidance: [] });
    expect(run([{ type: 'START' }], initialState, unattended)).toEqual({ step: 'present-card', keyGiven: false });
    expect(run([{ type: 'CODE_SCANNED' }, { type: 'CODE_IDENTIFIED', known: true }], initialState, unattended)).toEqual({ step: 'face', guidance: [], attempt: 0, against: 'code' });
  });

  it('keeps the consent screen everywhere else', () => {
    for (const p of [policy, { ...policy, unattended: false }]) {
      expect(run([{ type: 'START_BY_FACE' }], initialState, p)).toEqual({ step: 'consent', mode: 'face' });
      expect(run([{ type: 'START' }], initialState, p)).toEqual({ step: 'consent' });
      expect(run([{ type: 'CODE_SCANNED' }, { type: 'CODE_IDENTIFIED', known: true }], initialState, p)).toEqual({ step: 'consent', mode: 'code' });
    }
  });
});

describe('check-in journey: the next person of the same visit', () => {
  it('goes back to the card step from the site, and the next person is verified in full before the site again', () => {
    const atSite = run([...toReading, { type: 'READ_DONE', summary: genuine }, { type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 0.8 } }, verified('VERIFIED')]);
    expect(atSite).toEqual({ step: 'site', siteStep: 'start' });
    // The next person consents for themselves first; declining ends the visit.
    const asked = transition(atSite, { type: 'NEXT_PERSON' }, policy);
    expect(asked).toEqual({ step: 'consent', next: true });
    expect(transition(asked, { type: 'CONSENT', accepted: false }, policy)).toBe(initialState);
    const next = transition(asked, { type: 'CONSENT', accepted: true }, policy);
    expect(next).toEqual({ step: 'present-card', keyGiven: false, next: true });
    // An unattended station took consent elsewhere, for everyone.
    expect(transition(atSite, { type: 'NEXT_PERSON' }, { ...policy, unattended: true })).toEqual({ step: 'present-card', keyGiven: false, next: true });
    const read = run([{ type: 'KEY_GIVEN', source: 'qr' }, { type: 'READ_STARTED' }, { type: 'READ_DONE', summary: genuine }], next);
    expect(read).toMatchObject({ step: 'face' });
    expect(transition(read, { type: 'FACE_DONE', outcome: { decision: 'NO_MATCH', score: 0.1 } }, policy)).toMatchObject({ step: 'failed', code: 'FACE_NO_MATCH' });
    expect(run([{ type: 'FACE_DONE', outcome: { decision: 'MATCH', score: 0.8 } }, verified('VERIFIED')], read)).toEqual({ step: 'site', siteStep: 'start' });
  });

  it('takes the next person only from the site\'s steps', () => {
    for (const s of [initialState, run([{ type: 'START' }]), run(toReading)]) expect(transition(s, { type: 'NEXT_PERSON' }, policy)).toBe(s);
  });
});
