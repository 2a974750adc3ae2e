/**
 * Visitors: a host invites by CCCD number; on arrival the visitor's verified chip finds the
 * invitation; a walk-in waits for the host's approval. An invitation moves one way through its
 * states, and a visit ends on its own at the end of its window (visitors never linger "inside").
 */
import { z } from 'zod';
import { KioskError } from '../../../core/errors.ts';
import type { InvitationRecord, InvitationStatus } from './records.ts';

/** The longest window one invitation may open (a contractor's week); longer needs enrolment. */
export const MAX_VISIT_DAYS = 7;

/** What a host sends (staff screen or HTTP endpoint). */
export const invitationRequest = z
  .object({
    idNumber: z.string().regex(/^\d{12}$/, '12 digits'),
    name: z.string().trim().min(1).max(200),
    host: z.string().min(1).max(64),
    purpose: z.string().trim().min(1).max(200),
    plate: z.string().max(20).optional(),
    from: z.iso.datetime({ offset: true }),
    until: z.iso.datetime({ offset: true }),
    group: z.string().min(1).max(64).optional(),
  })
  .strict();
export type InvitationRequest = z.infer<typeof invitationRequest>;

/**
 * A Vietnamese number plate as people write it (51F-123.45, 29A12345, 59F1-234.56), upper-cased
 * with the separators normalised; undefined when it is not one. Without separators "51F12345" could
 * be a car's (F, 123.45) or a motorbike's (F1, 2345): the car's reading, the commoner at a gate, wins.
 */
export function normalisePlate(text: string): string | undefined {
  const compact = text.toUpperCase().replace(/[\s.-]/g, '');
  const m = /^(\d{2})([A-Z]{1,2})(\d{4,5})$/.exec(compact) ?? /^(\d{2})([A-Z]{1,2}\d)(\d{4,5})$/.exec(compact);
  if (!m) return undefined;
  const [, province, series, number] = m as unknown as [string, string, string, string];
  return `${province}${series}-${number.length === 5 ? `${number.slice(0, 3)}.${number.slice(3)}` : number}`;
}

const problem = (message: string) => new KioskError('INVITATION_INVALID', message);

/** Checks a request's window and plate against now; the window and plate as they will be stored. */
export function checkInvitation(request: InvitationRequest, now: Date): { from: string; until: string; plate?: string } {
  const from = Date.parse(request.from);
  const until = Date.parse(request.until);
  if (until <= from) throw problem('the window must end after it starts');
  if (until <= now.getTime()) throw problem('the window has already ended');
  if (until - from > MAX_VISIT_DAYS * 86_400_000) throw problem(`a visit lasts at most ${MAX_VISIT_DAYS} days`);
  const plate = request.plate?.trim() ? normalisePlate(request.plate) : undefined;
  if (request.plate?.trim() && plate === undefined) throw problem('the vehicle plate is not a Vietnamese number plate');
  return { from: new Date(from).toISOString(), until: new Date(until).toISOString(), ...(plate ? { plate } : {}) };
}

/**
 * The invitation this arrival is for: the visitor's ID (keyed hash) matches, it is still open, and
 * now lies in its window (up to `earlyMinutes` before it starts). The earliest window wins.
 */
export function findInvitation<T extends { readonly body: InvitationRecord }>(invitations: readonly T[], idRef: string, now: Date, earlyMinutes: number): T | undefined {
  const t = now.getTime();
  return invitations
    .filter((i) => i.body.idRef === idRef && i.body.status === 'invited' && t >= Date.parse(i.body.from) - earlyMinutes * 60_000 && t < Date.parse(i.body.until))
    .sort((a, b) => a.body.from.localeCompare(b.body.from))[0];
}

/** The states an invitation may move to from each state. */
const NEXT: Readonly<Record<InvitationStatus, readonly InvitationStatus[]>> = {
  'awaiting-host': ['invited', 'refused', 'cancelled', 'expired'],
  invited: ['arrived', 'cancelled', 'expired'],
  arrived: ['checked-out'],
  'checked-out': [],
  refused: [],
  cancelled: [],
  expired: [],
};

export function moveInvitation(inv: InvitationRecord, to: InvitationStatus, extra: Partial<Pick<InvitationRecord, 'visitor'>> = {}): InvitationRecord {
  if (!NEXT[inv.status].includes(to)) throw new KioskError('INVITATION_STATE', `an invitation that is ${inv.status} cannot become ${to}`, { from: inv.status, to });
  return { ...inv, ...extra, status: to };
}

/**
 * What the end of the window does: an invitation nobody used expires; a visitor still on site is
 * checked out (the caller records their exit). Undefined: nothing to do yet.
 */
export function endOfWindow(inv: InvitationRecord, now: Date): InvitationStatus | undefined {
  if (now.getTime() < Date.parse(inv.until)) return undefined;
  if (inv.status === 'invited' || inv.status === 'awaiting-host') return 'expired';
  if (inv.status === 'arrived') return 'checked-out';
  return undefined;
}
