/**
 * The clinic check's Node side: its flow with the HIS desk and the nurse's list (the site store's
 * event log, which every kiosk and the nurses' station of the hospital can read), and the watch
 * over tickets scanned at the door whose face never matched: each goes to staff as "not confirmed"
 * (an alert on the maintenance screen, a Flag in the hospital system), never to the screen.
 */
import type { SiteFlow } from '../../../core/journey/site-flow.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { ClinicChecks, createClinicCheckFlow, type CheckRecord, type ClinicDesk } from '../common/clinic-check.ts';
import type { HospitalSystem } from '../common/hospital-system.ts';
import { localDay } from '../common/local-day.ts';

const CHECK_EVENT = 'hospital.clinic-check';

export interface ClinicWiring {
  flow(): SiteFlow;
  /** A ticket was scanned at the door: its face must match within the time allowed. */
  scanned(visitId: string): void;
  /** Today's checks at this hospital, newest first: the nurse's list (as last read from the site store). */
  todaysChecks(): CheckRecord[];
  stop(): void;
}

export function wireClinicCheck(o: {
  his: HospitalSystem;
  desk: ClinicDesk;
  store: SiteStore;
  clinic: { id: string; confirmWithinSeconds: number };
  terminalId: string;
  timeZone: string;
  raiseAlert: (code: string, detail: Record<string, string | number | null>) => void;
  log: (line: string) => void;
  sweepMs?: number;
}): ClinicWiring {
  const checks = new ClinicChecks({ withinMs: o.clinic.confirmWithinSeconds * 1000 });
  let sequence = 0;
  // The maintenance screen is drawn at once: it reads the list as last fetched from the store.
  let list: CheckRecord[] = [];
  const refresh = async () => {
    const events = await o.store.events({ kind: CHECK_EVENT, limit: 500 });
    list = events.map((e) => e.data as CheckRecord);
  };
  const record = async (check: CheckRecord): Promise<void> => {
    list = [check, ...list];
    await o.store.appendEvent({
      key: `${o.terminalId}:${check.at}:${++sequence}`,
      kind: CHECK_EVENT,
      at: check.at,
      terminalId: o.terminalId,
      subject: check.visitId,
      data: check,
    });
  };

  const failed = (what: string) => (e: unknown) => o.log(`clinic check: ${what} failed (${(e as { code?: string }).code ?? 'error'})`);

  /** A ticket whose face did not match in time: flagged to staff and to the hospital, never announced. */
  const notConfirmed = async (visitId: string): Promise<void> => {
    const at = new Date().toISOString();
    const visit = await o.his.getVisit(visitId);
    await record({ visitId, queueNumber: visit?.queueNumber ?? null, at, result: 'not-confirmed', method: 'none' });
    if (visit) {
      await o.desk
        .flagCheck({ visitId, patientId: visit.patientId, method: 'ticket-face', at, terminalId: o.terminalId, reason: 'face-not-confirmed' })
        .catch(failed('flagging a ticket in the hospital system'));
    }
    // Last, so that staff who see the alert find the list and the hospital's flag already there.
    o.raiseAlert('CLINIC_CHECK_NOT_CONFIRMED', { queueNumber: visit?.queueNumber ?? null, clinic: o.clinic.id });
  };

  let sweeping = false;
  let ticks = 0;
  void refresh().catch(failed('reading the nurse list'));
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    const due = checks.overdue();
    Promise.all(due.map((id) => notConfirmed(id).catch(failed('flagging a ticket'))))
      // Other kiosks of the hospital write to the list too: read it again now and then.
      .then(() => (due.length > 0 || ++ticks % 10 === 0 ? refresh() : undefined))
      .catch(failed('reading the nurse list'))
      .finally(() => (sweeping = false));
  }, o.sweepMs ?? 1000);
  timer.unref();

  return {
    flow: () =>
      createClinicCheckFlow({ his: o.his, desk: o.desk, clinicId: o.clinic.id, terminalId: o.terminalId, record, settled: (id) => checks.settled(id) }),
    scanned: (visitId) => checks.scanned(visitId),
    todaysChecks() {
      const today = localDay(new Date(), o.timeZone);
      return list.filter((c) => localDay(new Date(c.at), o.timeZone) === today);
    },
    stop: () => clearInterval(timer),
  };
}
