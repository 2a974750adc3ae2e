/**
 * The shared check-in journey, as a pure state machine: every site walks the same path
 * (welcome → consent → present card → read → face → verify → site steps → print → done), and
 * the site adds its own steps in the middle. The host runs the side effects (card, camera, central
 * service, printer) and feeds their outcomes back as events; the UI renders the state.
 * An event that does not fit the current step is ignored, so a late callback can never move a
 * finished or cancelled session.
 */
import type { CardKeySource } from '../cccd/card-key.ts';
import { readDecision, trustDecision, type ReadSummary, type TrustPolicy, type VerificationOutcome } from './trust.ts';


export type { ReadSummary, VerificationOutcome };

export interface FaceOutcome {
  readonly decision: 'MATCH' | 'NO_MATCH' | 'UNCERTAIN';
  readonly score: number;
}

/** Face guidance codes the UI turns into words ("move closer", "look at the camera"). */
export type FaceGuidance = string;

export type JourneyState =
  | { readonly step: 'welcome' }
  /**
   * `face`: a returning patient starting with the face alone (sites that enable it); `code`: a person
   * who scanned a code the site knows (a ticket, a pass), whose face is matched to it next.
   */
  | { readonly step: 'consent'; readonly mode?: 'face' | 'code'; readonly next?: true }
  /** A scanned code is with the site, which says whose it is. */
  | { readonly step: 'checking-code' }
  | { readonly step: 'face-identify'; readonly guidance: readonly FaceGuidance[] }
  /** `next`: another person joins the same site flow (a family booking), each with their own card and face. */
  | { readonly step: 'present-card'; readonly keyGiven: boolean; readonly problem?: string; readonly next?: true }
  | { readonly step: 'reading'; readonly bytesRead: number; readonly totalBytes: number }
  /** `against: 'code'`: 1:1 against the reference face of a scanned code, instead of the chip portrait. */
  | { readonly step: 'face'; readonly guidance: readonly FaceGuidance[]; readonly attempt: number; readonly against?: 'code' }
  | { readonly step: 'verifying' }
  | { readonly step: 'site'; readonly siteStep: string }
  | { readonly step: 'printing' }
  | { readonly step: 'done' }
  /**
   * `faceAttempts` (when "try again" leads to the face): face matches already used on this card, so
   * that trying again continues the count instead of granting a fresh set of attempts.
   */
  | { readonly step: 'failed'; readonly code: string; readonly retry?: RetryTarget; readonly faceAttempts?: number; readonly against?: 'code' };

/** Where "try again" leads: the step that failed, never further back than needed. */
export type RetryTarget = 'present-card' | 'face' | 'verifying' | 'site';

export type JourneyEvent =
  | { readonly type: 'START' }
  | { readonly type: 'START_BY_FACE' }
  /** A code was scanned at the start; the site is asked whose it is. */
  | { readonly type: 'CODE_SCANNED' }
  /** The site's answer: a subject with a reference face, or unknown with the reason the screen words. */
  | { readonly type: 'CODE_IDENTIFIED'; readonly known: true }
  | { readonly type: 'CODE_IDENTIFIED'; readonly known: false; readonly reason: string }
  /** The person would rather tap their card than match the code's face. */
  | { readonly type: 'USE_CARD' }
  | { readonly type: 'FACE_IDENTIFIED'; readonly decision: 'MATCH' | 'NO_MATCH' | 'UNCERTAIN' }
  | { readonly type: 'CONSENT'; readonly accepted: boolean }
  | { readonly type: 'KEY_GIVEN'; readonly source: CardKeySource }
  | { readonly type: 'KEY_REJECTED'; readonly problem: string }
  | { readonly type: 'READ_STARTED' }
  | { readonly type: 'READ_PROGRESS'; readonly bytesRead: number; readonly totalBytes: number }
  | { readonly type: 'READ_DONE'; readonly summary: ReadSummary }
  | { readonly type: 'FACE_GUIDANCE'; readonly guidance: readonly FaceGuidance[] }
  | { readonly type: 'FACE_DONE'; readonly outcome: FaceOutcome }
  /** The central answer, with the read it is about: the trust decision needs both. */
  | { readonly type: 'VERIFY_DONE'; readonly outcome: VerificationOutcome; readonly summary: ReadSummary }
  | { readonly type: 'SITE_STEP'; readonly siteStep: string }
  | { readonly type: 'SITE_DONE' }
  /** The site wants the next person of the same visit verified (their own card and face). */
  | { readonly type: 'NEXT_PERSON' }
  | { readonly type: 'PRINT_DONE' }
  /**
   * The work of the current step failed (card, face engine, site back end, printer…). Every step
   * that runs work accepts it, so no failure can leave a person on a step that waits forever.
   */
  | { readonly type: 'STEP_FAILED'; readonly code: string; readonly retryable: boolean }
  | { readonly type: 'RETRY' }
  | { readonly type: 'CANCEL' };

/** What the site demands before its own steps: the trust policy, and the face step's rules. */
export interface JourneyPolicy extends TrustPolicy {
  readonly faceRequired: boolean;
  /** Face attempts before giving up and sending the person to staff. */
  readonly maxFaceAttempts: number;
  /**
   * An unattended, always-watching station (a door terminal, an e-gate) whose site states where
   * consent was given (at enrolment, at check-in): no consent screen. Only a site can declare it.
   */
  readonly unattended?: boolean;
}

export const initialState: JourneyState = { step: 'welcome' };

/** Steps during which the idle timer must not reset the kiosk. */
export function isBusy(state: JourneyState): boolean {
  return (
    state.step === 'reading' || state.step === 'verifying' || state.step === 'checking-code' || state.step === 'printing' || state.step === 'face-identify' ||
    (state.step === 'face' && state.attempt > 0)
  );
}

const failed = (code: string, retry?: RetryTarget, faceAttempts?: number, against?: 'code'): JourneyState => ({
  step: 'failed',
  code,
  ...(retry ? { retry } : {}),
  ...(retry === 'face' && faceAttempts !== undefined ? { faceAttempts } : {}),
  ...(against ? { against } : {}),
});

const presentCard = (problem?: string): JourneyState => ({ step: 'present-card', keyGiven: false, ...(problem ? { problem } : {}) });

type StartMode = 'card' | 'face' | 'code';

/** Where each way in goes once consent is given. */
function afterConsent(mode: StartMode): JourneyState {
  if (mode === 'code') return { step: 'face', guidance: [], attempt: 0, against: 'code' };
  return mode === 'face' ? { step: 'face-identify', guidance: [] } : presentCard();
}

/** The consent screen, except at an unattended station, whose site took consent elsewhere. */
function askConsent(mode: StartMode, policy: JourneyPolicy): JourneyState {
  if (policy.unattended) return afterConsent(mode);
  return mode === 'card' ? { step: 'consent' } : { step: 'consent', mode };
}

export function transition(state: JourneyState, event: JourneyEvent, policy: JourneyPolicy): JourneyState {
  if (event.type === 'CANCEL') return initialState;
  switch (state.step) {
    case 'welcome':
      if (event.type === 'START') return askConsent('card', policy);
      if (event.type === 'CODE_SCANNED') return { step: 'checking-code' };
      return event.type === 'START_BY_FACE' ? askConsent('face', policy) : state;
    case 'checking-code':
      if (event.type === 'STEP_FAILED') return failed(event.code);
      if (event.type !== 'CODE_IDENTIFIED') return state;
      // An unknown code goes no further: the face is only ever matched to a face the site vouches for.
      return event.known ? askConsent('code', policy) : failed(event.reason);
    case 'consent':
      if (event.type !== 'CONSENT') return state;
      if (!event.accepted) return initialState;
      if (state.next) return { step: 'present-card', keyGiven: false, next: true };
      return afterConsent(state.mode ?? 'card');
    case 'face-identify':
      if (event.type === 'FACE_GUIDANCE') return { step: 'face-identify', guidance: event.guidance };
      // The face search failed: the card is the other way in.
      if (event.type === 'STEP_FAILED') return { step: 'present-card', keyGiven: false, problem: event.code };
      if (event.type !== 'FACE_IDENTIFIED') return state;
      // Recognised: straight to the site's steps. Not sure, or not known: the card confirms.
      return event.decision === 'MATCH' ? { step: 'site', siteStep: 'start' } : { step: 'present-card', keyGiven: false, problem: 'FACE_NOT_RECOGNISED' };
    case 'present-card':
      if (event.type === 'KEY_GIVEN') return { step: 'present-card', keyGiven: true };
      if (event.type === 'KEY_REJECTED') return { step: 'present-card', keyGiven: false, problem: event.problem };
      if (event.type === 'READ_STARTED' && state.keyGiven) return { step: 'reading', bytesRead: 0, totalBytes: 0 };
      return state;
    case 'reading':
      if (event.type === 'READ_PROGRESS') return { step: 'reading', bytesRead: event.bytesRead, totalBytes: event.totalBytes };
      if (event.type === 'STEP_FAILED') {
        // A wrong ID number or MRZ: ask for the key again rather than showing a failure.
        if (event.code.startsWith('ACCESS_DENIED')) return { step: 'present-card', keyGiven: false, problem: event.code };
        return failed(event.code, 'present-card');
      }
      if (event.type === 'READ_DONE') {
        // Forged data, a clone, or a card this site can never accept: no need to ask anyone.
        const stop = readDecision(event.summary, policy);
        if (stop) return failed(stop.code);
        return policy.faceRequired ? { step: 'face', guidance: [], attempt: 0 } : { step: 'verifying' };
      }
      return state;
    case 'face': {
      const { against } = state;
      if (event.type === 'FACE_GUIDANCE') return { ...state, guidance: event.guidance };
      if (event.type === 'USE_CARD' && against) return presentCard();
      // A broken face engine costs no attempt, but retrying after it keeps the attempts already used.
      if (event.type === 'STEP_FAILED') return failed(event.code, event.retryable ? 'face' : undefined, state.attempt, against);
      if (event.type === 'FACE_DONE') {
        // The card's face goes on to the central check; a code's face was vouched for by the site.
        if (event.outcome.decision === 'MATCH') return against ? { step: 'site', siteStep: 'start' } : { step: 'verifying' };
        const attempt = state.attempt + 1;
        const left = attempt < policy.maxFaceAttempts;
        // A different face: the person is told so and chooses to try again (or to call staff);
        // the kiosk does not silently keep trying someone else's card.
        if (event.outcome.decision === 'NO_MATCH') return left ? failed('FACE_NO_MATCH', 'face', attempt, against) : failed('FACE_NO_MATCH', undefined, undefined, against);
        if (!left) return failed('FACE_UNCERTAIN', undefined, undefined, against);
        return { ...state, guidance: ['FACE_UNCERTAIN_TRY_AGAIN'], attempt };
      }
      return state;
    }
    case 'verifying': {
      if (event.type === 'STEP_FAILED') return failed(event.code, event.retryable ? 'verifying' : undefined);
      if (event.type !== 'VERIFY_DONE') return state;
      const decision = trustDecision(event.summary, event.outcome, policy);
      if (!decision.accepted) return failed(decision.code, decision.retryable ? 'verifying' : undefined);
      return { step: 'site', siteStep: 'start' };
    }
    case 'site':
      if (event.type === 'SITE_STEP') return { step: 'site', siteStep: event.siteStep };
      if (event.type === 'SITE_DONE') return { step: 'printing' };
      // The next person of a visit (a family booking) gives their own consent, where the site asks for it.
      if (event.type === 'NEXT_PERSON') return policy.unattended ? { step: 'present-card', keyGiven: false, next: true } : { step: 'consent', next: true };
      if (event.type === 'STEP_FAILED') return failed(event.code, event.retryable ? 'site' : undefined);
      return state;
    case 'printing':
      // The ticket is still on screen; a printer problem must not lose the registration.
      if (event.type === 'PRINT_DONE' || event.type === 'STEP_FAILED') return { step: 'done' };
      return state;
    case 'done':
      return state;
    case 'failed':
      if (event.type === 'USE_CARD' && state.against) return presentCard();
      if (event.type !== 'RETRY' || !state.retry) return state;
      if (state.retry === 'present-card') return { step: 'present-card', keyGiven: true };
      if (state.retry === 'face') return { step: 'face', guidance: [], attempt: state.faceAttempts ?? 0, ...(state.against ? { against: state.against } : {}) };
      if (state.retry === 'verifying') return { step: 'verifying' };
      return { step: 'site', siteStep: 'start' };
  }
}
