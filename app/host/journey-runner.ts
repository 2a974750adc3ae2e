import { isKioskError } from '../core/errors.ts';
import {
  initialState, isBusy, transition, type FaceOutcome, type JourneyEvent, type JourneyPolicy, type JourneyState, type VerificationOutcome,
} from '../core/journey/journey.ts';
import { trustDecision } from '../core/journey/trust.ts';
import { outcomeWithoutAnswer } from '../core/verification/policy.ts';
import type { CardKey } from '../core/cccd/card-key.ts';
import type {
  ChipReadOutcome, ChipReading, FaceGallery, FaceIdentification, FaceIdentifyOutcome, FaceMatching, FaceMatchOutcome, IdentityVerification, PrintedReceipt, VerifiedFace,
} from '../core/journey/ports.ts';
import type { CodeIdentity, CodeSubject, SiteEvidence, SiteFlow, SiteResult, SiteView } from '../core/journey/site-flow.ts';
import { journeyAction, type JourneyAction, type JourneyView } from '../core/journey/view.ts';
import type { FaceGuidance } from '../core/journey/journey.ts';
import type { UnattendedRole } from '../core/sites/site-module.ts';

export type { JourneyAction, JourneyView };
import type { AuditLog } from '../platform/store/audit-log.ts';

export interface JourneyDeps {
  readonly reading: ChipReading;
  readonly face?: FaceMatching;
  /** Returning by face (only where the site enables it). */
  readonly faceIdentification?: FaceIdentification;
  /**
   * An unattended, always-watching station (the site declares it, and where consent was given): no
   * consent screen, identification starts when a face comes into view, and the end screens return
   * to watching after `unattendedResetMillis` (5 s by default).
   */
  readonly unattended?: UnattendedRole;
  readonly unattendedResetMillis?: number;
  /** The site's own faces for identification by face alone, searched instead of the enrolled ones. */
  readonly faceGallery?: FaceGallery;
  readonly verification: IdentityVerification;
  readonly site: () => SiteFlow;
  /** Whose a code scanned at the start is (sites that issue tickets or passes); see WiredSite.identifyCode. */
  readonly identifyCode?: (code: string) => Promise<CodeIdentity>;
  /** What a person may come for (the site's declared purposes); a start names one of them or none. */
  readonly purposes?: readonly string[];
  /** Turns scanned text (the card's QR, an MRZ) into a card key; throws a ParseError naming the problem. */
  readonly parseScan: (text: string) => CardKey;
  readonly policy: JourneyPolicy;
  readonly audit: AuditLog;
  readonly publish: (view: JourneyView) => void;
  readonly language?: () => 'vi' | 'en';
  /**
   * How long the done screen (name, ticket, the face offer) may stay up. The screen returns to the
   * start itself at kiosk.doneSeconds; this is the kiosk's own limit behind it, so the person's data
   * and the offer go even when the screen is frozen or closed.
   */
  readonly doneMillis?: number;
  /** The person on a failure screen asked for help: tell staff (an alert on the maintenance screen). */
  readonly callStaff?: (code: string) => void;
  /** A port failed with something other than a KioskError (a bug): the step fails, this hears why. */
  readonly onUnexpected?: (error: unknown) => void;
}

/** Everything the kiosk holds about the person in front of it; dropped on cancel, reset and done. */
interface Session {
  /** What the person chose on the welcome screen. */
  purpose?: string;
  key?: CardKey;
  read?: ChipReadOutcome;
  face?: FaceOutcome;
  /** The matched face's templates, handed to the site (never to the view or the audit). */
  verifiedFace?: VerifiedFace;
  verification?: VerificationOutcome;
  site?: SiteFlow;
  /** The site flow asked for the next person of its visit: the next verified person joins it. */
  addingPerson?: boolean;
  siteView?: SiteView;
  receipt?: JourneyView['receipt'];
  /** Whom a scanned code stands for, with the faces the person must match (the site's data: dropped, not blanked). */
  codeSubject?: CodeSubject;
  /** The site's id for the person: recognised by face, or offered for enrolment on the done screen. */
  faceSubject?: string;
  faceEnrolment?: JourneyView['faceEnrolment'];
  staffCalled?: boolean;
  doneTimer?: ReturnType<typeof setTimeout>;
  abort: AbortController;
}

/**
 * Runs one person's journey at a time: feeds the person's actions and the devices' outcomes into
 * the pure journey machine, performs the side effects of each step, and publishes a view after every
 * change. Audit rows carry step codes and verdicts only.
 */
export class JourneyRunner {
  private state: JourneyState = initialState;
  private session: Session = { abort: new AbortController() };

  /** The site's policy; unattended only where the site declares the station so. */
  private readonly policy: JourneyPolicy;
  private closed = false;
  /**
   * Orders the views: an action's answer and a pushed event can cross on the way to the screen, and
   * the screen keeps the newer. Starts from the clock so that a restarted kiosk's views are newer still.
   */
  private seq = Date.now() * 1000;

  constructor(private readonly deps: JourneyDeps) {
    this.policy = { ...deps.policy, unattended: deps.unattended !== undefined };
    this.watch();
  }

  /** Stops the journey for good (the kiosk is closing): the person's data goes, and no watching restarts. */
  async close(): Promise<void> {
    this.closed = true;
    await this.act({ action: 'cancel' });
  }

  view(): JourneyView {
    const s = this.session;
    return {
      state: this.state,
      seq: this.seq,
      busy: isBusy(this.state),
      ...(s.read && this.state.step !== 'welcome' ? { holder: { fullName: s.read.holder.fullName, dateOfBirth: s.read.holder.dateOfBirth } } : {}),
      ...(s.siteView && this.state.step === 'site' ? { site: s.siteView } : {}),
      ...(s.receipt && this.state.step === 'done' ? { receipt: s.receipt } : {}),
      ...(s.faceEnrolment && this.state.step === 'done' ? { faceEnrolment: s.faceEnrolment } : {}),
      ...(s.staffCalled && this.state.step === 'failed' ? { staffCalled: true } : {}),
    };
  }

  async act(a: JourneyAction): Promise<JourneyView> {
    switch (a.action) {
      case 'start':
      case 'start-face': {
        if (a.action === 'start-face' && !this.faceSearch(this.session.abort.signal)) break;
        const purpose = this.purposeOf(a.purpose);
        if (purpose === null) break;
        this.wipe();
        if (purpose) this.session.purpose = purpose;
        this.apply({ type: a.action === 'start' ? 'START' : 'START_BY_FACE' });
        this.audit(`journey.${a.action}`, { ...(purpose ? { purpose } : {}), ...this.consentElsewhere() });
        if (this.state.step === 'face-identify') this.spawn(() => this.identifyFace());
        break;
      }
      case 'code':
        if (this.state.step !== 'welcome' || !this.deps.identifyCode) break;
        this.wipe();
        this.apply({ type: 'CODE_SCANNED' });
        // Nothing of the code itself: it may be a pass or a ticket someone else could use.
        this.audit('journey.start-code', this.consentElsewhere());
        this.spawn(() => this.checkCode(a.code));
        break;
      case 'use-card':
        this.apply({ type: 'USE_CARD' });
        if (this.state.step !== 'present-card') break;
        this.session.codeSubject = undefined;
        this.audit('journey.use-card');
        break;
      case 'consent':
        this.apply({ type: 'CONSENT', accepted: a.accepted });
        this.audit(a.accepted ? 'journey.consent-given' : 'journey.consent-declined');
        if (!a.accepted) this.wipe();
        if (this.state.step === 'face-identify') this.spawn(() => this.identifyFace());
        if (this.state.step === 'face') this.spawn(() => this.matchFace());
        break;
      case 'face-enrolment':
        await this.enrolFace(a.enrol);
        break;
      case 'face-removal':
        await this.removeFace();
        break;
      case 'key': {
        if (this.state.step !== 'present-card') break;
        let key: CardKey;
        try {
          key = a.key.kind === 'scan' ? this.deps.parseScan(a.key.text) : a.key;
        } catch (e) {
          // An unreadable QR or a mistyped number: say which, and wait for the next try.
          this.apply({ type: 'KEY_REJECTED', problem: isKioskError(e) ? e.code : 'SCAN_UNREADABLE' });
          this.audit('journey.key-rejected', { code: isKioskError(e) ? e.code : 'SCAN_UNREADABLE' });
          break;
        }
        this.session.key = key;
        this.apply({ type: 'KEY_GIVEN', source: key.source });
        this.spawn(() => this.readCard());
        break;
      }
      case 'site':
        if (this.state.step === 'site' && this.session.site) {
          const site = this.session.site;
          this.spawn(() => this.siteResult(site.act(a.payload)));
        }
        break;
      case 'retry':
        this.apply({ type: 'RETRY' });
        this.spawn(() => this.resume());
        break;
      case 'call-staff':
        // Once per session: a second press must not page staff twice for the same person.
        if (this.state.step !== 'failed' || this.session.staffCalled) break;
        this.session.staffCalled = true;
        this.audit('journey.staff-called', { code: this.state.code });
        this.deps.callStaff?.(this.state.code);
        this.publish();
        break;
      case 'cancel':
        if (this.state.step !== 'welcome') this.audit('journey.cancel', { at: this.state.step });
        this.wipe();
        this.apply({ type: 'CANCEL' });
        break;
    }
    return this.view();
  }

  /**
   * Text from a scanner (HID-POS, or the screen's keyboard wedge): at the start, a code for the site
   * (where the site takes codes); on the card step, the card's QR or MRZ. Elsewhere it is ignored.
   */
  async scan(text: string): Promise<JourneyView> {
    const code = this.state.step === 'welcome' && this.deps.identifyCode;
    const parsed = journeyAction.safeParse(code ? { action: 'code', code: text } : { action: 'key', key: { kind: 'scan', text } });
    if (!parsed.success) {
      this.audit('journey.scan-refused', { reason: 'SCAN_TOO_LONG' });
      return this.view();
    }
    return this.act(parsed.data);
  }

  /** At an unattended station, where the person consented (for the start's audit row). */
  private consentElsewhere(): { consentGivenAt?: string } {
    return this.deps.unattended ? { consentGivenAt: this.deps.unattended.consentGivenAt } : {};
  }

  /**
   * The purpose a start carries: one the site declared, else null (refused). A start naming none gets
   * the site's only purpose, or none when the site declares several (the flow then asks).
   */
  private purposeOf(requested: string | undefined): string | undefined | null {
    const declared = this.deps.purposes ?? [];
    if (requested !== undefined) return declared.includes(requested) ? requested : null;
    return declared.length === 1 ? declared[0] : undefined;
  }

  private apply(event: JourneyEvent): void {
    const next = transition(this.state, event, this.policy);
    if (next === this.state) return;
    this.state = next;
    if (next.step === 'failed') this.audit('journey.failed', { code: next.code });
    if (next.step === 'done' || next.step === 'failed') this.closeLater(next);
    if (next.step === 'welcome') this.watch();
    this.publish();
  }

  /** Tells the screens of a change that is not a step (a view of the site, the face offer, staff called). */
  private publish(): void {
    this.seq++;
    this.deps.publish(this.view());
  }

  /**
   * Runs a step's work in the background. Whatever escapes it (a bug in a port or in a listener)
   * still fails the step the person is on, so the screen never waits for work that has died.
   */
  private spawn(work: () => Promise<void>): void {
    const { signal } = this.session.abort;
    const escaped = (e: unknown) => {
      if (!signal.aborted) this.failStep(e, 'INTERNAL', false);
    };
    try {
      work().catch(escaped);
    } catch (e) {
      escaped(e);
    }
  }

  /** The current step's work failed: the machine takes the person to a failure screen. */
  private failStep(e: unknown, fallbackCode: string, retryable: boolean): void {
    if (!isKioskError(e)) this.deps.onUnexpected?.(e);
    this.apply({ type: 'STEP_FAILED', code: isKioskError(e) ? e.code : fallbackCode, retryable });
  }

  /** After a retry, pick up at the step the machine went back to. */
  private async resume(): Promise<void> {
    if (this.state.step === 'present-card' && this.session.key) await this.readCard();
    else if (this.state.step === 'face') await this.matchFace();
    else if (this.state.step === 'verifying') await this.verify();
    else if (this.state.step === 'site') await this.startSite();
  }

  private async readCard(): Promise<void> {
    const key = this.session.key;
    if (!key) return;
    const { signal } = this.session.abort;
    this.apply({ type: 'READ_STARTED' });
    try {
      const read = await this.deps.reading.read(key, (bytesRead, totalBytes) => this.apply({ type: 'READ_PROGRESS', bytesRead, totalBytes }), signal);
      if (signal.aborted) return;
      this.session.read = read;
      const { passiveAuth, chipAuth, accessMethod, documentType, paceFallback } = read.summary;
      this.audit('journey.read', { passiveAuth, chipAuth, access: accessMethod, documentType, ...(paceFallback ? { paceFallback } : {}) });
      this.apply({ type: 'READ_DONE', summary: read.summary });
    } catch (e) {
      if (signal.aborted) return;
      this.failStep(e, 'READ_FAILED', true);
      return;
    }
    if (this.state.step === 'face') await this.matchFace();
    else if (this.state.step === 'verifying') await this.verify();
  }

  /** The site says whose the scanned code is; an unknown code ends here, a known one leads to its face. */
  private async checkCode(code: string): Promise<void> {
    const identify = this.deps.identifyCode;
    const { signal } = this.session.abort;
    if (!identify) return;
    let answer: CodeIdentity;
    try {
      answer = await identify(code);
    } catch (e) {
      if (signal.aborted) return;
      this.failStep(e, 'CODE_CHECK_FAILED', false);
      return;
    }
    if (signal.aborted) return;
    // A subject without a face to match could only be let through on the code alone: never.
    if (answer.known && answer.subject.references.length === 0) answer = { known: false, reason: 'CODE_NO_FACE' };
    if (!answer.known) {
      // The reason is shown and audited: only a code-shaped word passes, never text that could carry the scan.
      const reason = /^[A-Z][A-Z0-9_]{0,63}$/.test(answer.reason) ? answer.reason : 'CODE_UNKNOWN';
      this.audit('journey.code', { known: false, reason });
      this.apply({ type: 'CODE_IDENTIFIED', known: false, reason });
      return;
    }
    this.session.codeSubject = answer.subject;
    this.audit('journey.code', { known: true, references: answer.subject.references.length });
    this.apply({ type: 'CODE_IDENTIFIED', known: true });
    if (this.state.step === 'face') await this.matchFace();
  }

  /** What the face step matches against: the chip portrait, or the scanned code's reference faces. */
  private faceCapture(signal: AbortSignal): ((onGuidance: (g: readonly FaceGuidance[]) => void) => Promise<FaceMatchOutcome>) | 'unavailable' | undefined {
    const { face } = this.deps;
    const { read, codeSubject } = this.session;
    if (this.state.step !== 'face') return undefined;
    if (this.state.against === 'code') {
      if (!codeSubject) return undefined;
      const byReferences = face?.matchReferences;
      return byReferences ? (onGuidance) => byReferences.call(face, codeSubject.references, onGuidance, signal) : 'unavailable';
    }
    if (!read) return undefined;
    return face ? (onGuidance) => face.match(read.portrait, onGuidance, signal) : 'unavailable';
  }

  private async matchFace(): Promise<void> {
    const { signal } = this.session.abort;
    const capture = this.faceCapture(signal);
    if (!capture) return;
    if (capture === 'unavailable') {
      // The site asks for the face but the kiosk has no face engine: a person must look instead.
      this.apply({ type: 'STEP_FAILED', code: 'FACE_UNAVAILABLE', retryable: false });
      return;
    }
    while (this.state.step === 'face' && !signal.aborted) {
      try {
        const { verified, ...outcome } = await capture((guidance) => this.apply({ type: 'FACE_GUIDANCE', guidance }));
        if (signal.aborted) return;
        this.session.face = outcome;
        if (outcome.decision === 'MATCH' && verified) this.session.verifiedFace = verified;
        this.audit('journey.face', { decision: outcome.decision, score: Math.round(outcome.score * 1000) / 1000 });
        this.apply({ type: 'FACE_DONE', outcome });
      } catch (e) {
        if (signal.aborted) return;
        this.failStep(e, 'FACE_FAILED', true);
        return;
      }
    }
    if (this.state.step === 'verifying') await this.verify();
    else if (this.state.step === 'site') await this.startSite();
  }

  private async verify(): Promise<void> {
    const read = this.session.read;
    if (!read) return;
    const { signal } = this.session.abort;
    let outcome: VerificationOutcome;
    try {
      const { verdict, requestId } = await this.deps.verification.verify(read, this.session.face);
      outcome = { verdict, ...(requestId ? { requestId } : {}) };
    } catch (e) {
      if (!isKioskError(e)) this.deps.onUnexpected?.(e);
      outcome = outcomeWithoutAnswer(isKioskError(e) ? e.code : undefined);
    }
    if (signal.aborted) return;
    this.session.verification = outcome;
    const decision = trustDecision(read.summary, outcome, this.policy);
    this.audit('journey.verify', { verdict: outcome.verdict, decision: decision.code, ...(outcome.requestId ? { requestId: outcome.requestId } : {}) });
    this.apply({ type: 'VERIFY_DONE', outcome, summary: read.summary });
    if (this.state.step === 'site') await this.startSite();
  }

  /** Identification by face alone: among the site's gallery where it supplies one, else the enrolled faces. */
  private faceSearch(signal: AbortSignal): ((onGuidance: (g: readonly FaceGuidance[]) => void) => Promise<FaceIdentifyOutcome>) | undefined {
    const { face, faceGallery, faceIdentification } = this.deps;
    const inGallery = face?.identify;
    if (faceGallery && inGallery) return (onGuidance) => inGallery.call(face, faceGallery, onGuidance, signal);
    return faceIdentification && ((onGuidance) => faceIdentification.identify(onGuidance, signal));
  }

  private async identifyFace(): Promise<void> {
    const { signal } = this.session.abort;
    const search = this.faceSearch(signal);
    if (!search) return;
    try {
      const r = await search((guidance) => this.apply({ type: 'FACE_GUIDANCE', guidance }));
      if (signal.aborted) return;
      this.audit('journey.face-identified', { decision: r.decision, score: Math.round(r.score * 1000) / 1000 });
      if (r.decision === 'MATCH' && r.subjectId) {
        this.session.face = { decision: 'MATCH', score: r.score };
        this.session.faceSubject = r.subjectId;
        if (r.verified) this.session.verifiedFace = r.verified;
      }
      this.apply({ type: 'FACE_IDENTIFIED', decision: r.subjectId ? r.decision : 'NO_MATCH' });
    } catch (e) {
      if (signal.aborted) return;
      this.failStep(e, 'FACE_FAILED', false);
      return;
    }
    if (this.state.step === 'site') await this.startSite();
  }

  private async enrolFace(enrol: boolean): Promise<void> {
    const s = this.session;
    const ident = this.deps.faceIdentification;
    if (this.state.step !== 'done' || s.faceEnrolment !== 'offer' || !ident || !s.faceSubject || !s.read) return;
    if (!enrol) {
      s.faceEnrolment = undefined;
    } else {
      try {
        await ident.enrol(s.faceSubject, s.read.portrait);
        s.faceEnrolment = 'enrolled';
        this.audit('face.enrolled', { by: 'consent-at-kiosk' });
      } catch (e) {
        // The visit is done either way; the offer goes away rather than failing the screen.
        if (!isKioskError(e)) this.deps.onUnexpected?.(e);
        s.faceEnrolment = undefined;
        this.audit('face.enrol-failed', { code: isKioskError(e) ? e.code : 'FACE_ENROL_FAILED' });
      }
    }
    this.publish();
  }

  private async removeFace(): Promise<void> {
    const s = this.session;
    const ident = this.deps.faceIdentification;
    if (this.state.step !== 'done' || s.faceEnrolment !== 'recognised' || !ident || !s.faceSubject) return;
    try {
      const removed = await ident.remove(s.faceSubject);
      s.faceEnrolment = 'removed';
      this.audit('face.removed', { by: 'person-at-kiosk', templates: removed });
    } catch (e) {
      // The saved face is still there: the person is told to ask staff (the offer stays).
      if (!isKioskError(e)) this.deps.onUnexpected?.(e);
      this.audit('face.remove-failed', { code: isKioskError(e) ? e.code : 'FACE_REMOVE_FAILED' });
    }
    this.publish();
  }

  /** Verdict codes of what was proven, for the site's record. */
  private evidence(): SiteEvidence {
    const { read, verification, face } = this.session;
    if (!read) return { by: this.session.codeSubject ? 'code' : 'face', passiveAuth: 'NOT_RUN', chipAuth: 'NOT_RUN', central: 'NOT_RUN', ...(face ? { face } : {}) };
    return {
      by: 'card',
      passiveAuth: read.summary.passiveAuth,
      chipAuth: read.summary.chipAuth,
      central: verification?.verdict ?? 'NOT_RUN',
      ...(verification?.requestId ? { centralRequestId: verification.requestId } : {}),
      ...(face ? { face } : {}),
    };
  }

  private async startSite(): Promise<void> {
    const { read, verification, faceSubject, codeSubject, purpose, verifiedFace: face } = this.session;
    const language = this.deps.language?.() ?? 'vi';
    const told = { language, ...(purpose ? { purpose } : {}), ...(face ? { face } : {}) };
    const joining = this.session.site;
    if (this.session.addingPerson && joining?.addPerson && read && verification) {
      await this.siteResult(joining.addPerson({ holder: read.holder, evidence: this.evidence(), ...told }));
      return;
    }
    this.session.site?.dispose();
    let site: SiteFlow;
    try {
      site = this.deps.site();
    } catch (e) {
      this.failStep(e, 'SITE_FAILED', true);
      return;
    }
    this.session.site = site;
    if (read && verification) {
      await this.siteResult(site.start({ holder: read.holder, evidence: this.evidence(), ...told }));
    } else if (codeSubject && site.startWithCode) {
      await this.siteResult(site.startWithCode(codeSubject.id, { evidence: this.evidence(), ...told }));
    } else if (faceSubject && site.startReturning) {
      await this.siteResult(site.startReturning(faceSubject, { evidence: this.evidence(), ...told }));
    } else {
      // Nothing proven that this site can start from (e.g. a face alone where the site has no returning path).
      this.apply({ type: 'STEP_FAILED', code: 'SITE_NOT_AVAILABLE', retryable: false });
    }
  }

  private async siteResult(pending: Promise<SiteResult>): Promise<void> {
    const { signal } = this.session.abort;
    let result: SiteResult;
    try {
      result = await pending;
    } catch (e) {
      if (signal.aborted) return;
      this.failStep(e, 'SITE_FAILED', true);
      return;
    }
    if (signal.aborted) return;
    if (result.kind === 'view') {
      this.session.siteView = result.view;
      if (this.state.step === 'site' && this.state.siteStep === result.view.siteStep) this.publish();
      else this.apply({ type: 'SITE_STEP', siteStep: result.view.siteStep });
      return;
    }
    if (result.kind === 'failed') {
      this.apply({ type: 'STEP_FAILED', code: result.code, retryable: result.retryable });
      return;
    }
    if (result.kind === 'next-person') {
      this.nextPerson();
      return;
    }
    this.apply({ type: 'SITE_DONE' });
    if (this.deps.faceIdentification && result.enrolmentSubject) {
      // Came by card: offer to remember the face (with consent). Came by face: offer to forget it.
      this.session.faceEnrolment = this.session.read ? 'offer' : 'recognised';
      this.session.faceSubject = result.enrolmentSubject;
    }
    let receipt: PrintedReceipt;
    try {
      receipt = await result.receipt.print();
    } catch (e) {
      if (signal.aborted) return;
      const code = isKioskError(e) ? e.code : 'PRINT_FAILED';
      this.audit('journey.print-failed', { code });
      // The site's work is done: the ticket goes on screen with the printer's problem, so the
      // person is not told to take a ticket the printer never made.
      this.session.receipt = { previewPngBase64: '', printed: false, printerProblem: code, summary: result.receipt.summary, ...(result.receipt.ticket ? { ticket: result.receipt.ticket } : {}) };
      this.failStep(e, 'PRINT_FAILED', false);
      return;
    }
    if (signal.aborted) return;
    this.session.receipt = {
      previewPngBase64: Buffer.from(receipt.previewPng).toString('base64'),
      printed: receipt.printed,
      ...(receipt.printerProblem ? { printerProblem: receipt.printerProblem } : {}),
      summary: result.receipt.summary,
      ...(result.receipt.ticket ? { ticket: result.receipt.ticket } : {}),
    };
    this.audit('journey.done', { printed: receipt.printed });
    this.apply(receipt.printed ? { type: 'PRINT_DONE' } : { type: 'STEP_FAILED', code: receipt.printerProblem ?? 'PRINT_FAILED', retryable: false });
  }

  /**
   * The site asks for the next person of the same visit: this person's card data, face and answer
   * go (as on a wipe), the site flow and what the visit chose stay, and the card step comes back.
   */
  private nextPerson(): void {
    const s = this.session;
    if (!s.site?.addPerson) {
      this.apply({ type: 'STEP_FAILED', code: 'SITE_NOT_AVAILABLE', retryable: false });
      return;
    }
    forgetPerson(s);
    s.addingPerson = true;
    this.audit('journey.next-person');
    this.apply({ type: 'NEXT_PERSON' });
  }

  /**
   * Ends a done screen nobody finished (the next person must not find this one's name or face
   * offer), and at an unattended station any end screen, so that it goes back to watching.
   */
  private closeLater(end: JourneyState & { step: 'done' | 'failed' }): void {
    const { doneMillis, unattended, unattendedResetMillis = 5000 } = this.deps;
    const millis = unattended ? unattendedResetMillis : end.step === 'done' ? doneMillis : undefined;
    if (millis === undefined) return;
    const session = this.session;
    clearTimeout(session.doneTimer);
    session.doneTimer = setTimeout(() => {
      if (this.session !== session || this.state !== end) return;
      this.audit(`journey.${end.step}-timeout`);
      this.wipe();
      this.apply({ type: 'CANCEL' });
    }, millis);
    session.doneTimer.unref?.();
  }

  /**
   * An unattended station at its start watches the camera; a face in view starts identification by
   * face. A camera or engine that fails is tried again after a pause, never in a tight loop.
   */
  private watch(): void {
    const { face, unattended } = this.deps;
    const session = this.session;
    const watchFaces = face?.watch;
    if (!unattended || this.closed || !watchFaces || this.state.step !== 'welcome' || !this.faceSearch(session.abort.signal)) return;
    const stillWaiting = () => !this.closed && this.session === session && this.state.step === 'welcome';
    watchFaces.call(face, session.abort.signal).then(
      (seen) => {
        if (seen && stillWaiting()) void this.act({ action: 'start-face' });
      },
      (e: unknown) => {
        if (!isKioskError(e)) this.deps.onUnexpected?.(e);
        setTimeout(() => stillWaiting() && this.watch(), this.deps.unattendedResetMillis ?? 5000).unref?.();
      },
    );
  }

  /** Drops every reference to the person's data and blanks the portrait we hold: its pixels and the chip's image bytes. */
  private wipe(): void {
    const s = this.session;
    clearTimeout(s.doneTimer);
    s.abort.abort();
    s.site?.dispose();
    forgetPerson(s);
    this.session = { abort: new AbortController() };
  }

  private audit(action: string, detail: Record<string, string | number | boolean> = {}): void {
    this.deps.audit.append({ actor: 'kiosk', action, detail });
  }
}

/** Blanks the person's portrait (pixels and the chip's image bytes) and face templates, and drops what was proven of them. */
function forgetPerson(s: Session): void {
  s.read?.portrait.data.fill(0);
  s.read?.evidence.document.portrait?.bytes.fill(0);
  s.verifiedFace?.chip?.fill(0);
  s.verifiedFace?.live?.fill(0);
  s.key = s.read = s.face = s.verification = s.verifiedFace = s.siteView = undefined;
}
