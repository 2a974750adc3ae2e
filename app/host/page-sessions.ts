import { createHash, randomBytes } from 'node:crypto';

/** How long a launch ticket stays good: long enough for a cold browser start on a slow kiosk. */
export const LAUNCH_TICKET_TTL_MS = 5 * 60_000;

/**
 * How a browser page gets into the kiosk API without the API token ever leaving the host: the shell
 * receives a one-time launch ticket (through a file only the kiosk's user can read), the page
 * redeems it once for a session, and the session travels as an HttpOnly cookie the page's script
 * cannot read. Tickets and sessions are kept as SHA-256 digests, so looking one up reveals nothing
 * through timing and a memory dump holds nothing to replay.
 */
export class PageSessions {
  private readonly tickets = new Map<string, { expires: number; onSpent?: () => void }>();
  private readonly sessions = new Set<string>();

  constructor(
    private readonly ticketTtlMs = LAUNCH_TICKET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new ticket, good once and for `ticketTtlMs`. */
  issueTicket(onSpent?: () => void): string {
    for (const [key, t] of this.tickets) if (t.expires <= this.now()) this.tickets.delete(key);
    const ticket = randomBytes(32).toString('hex');
    this.tickets.set(digest(ticket), { expires: this.now() + this.ticketTtlMs, ...(onSpent ? { onSpent } : {}) });
    return ticket;
  }

  /** Spends a ticket: true the first time, before it expires; false ever after. */
  redeemTicket(ticket: unknown): boolean {
    if (typeof ticket !== 'string' || ticket.length === 0) return false;
    const key = digest(ticket);
    const entry = this.tickets.get(key);
    if (!entry) return false;
    this.tickets.delete(key);
    entry.onSpent?.();
    return entry.expires > this.now();
  }

  /** Opens a session; the returned id goes into the page's cookie and nowhere else. */
  openSession(): string {
    const id = randomBytes(32).toString('hex');
    this.sessions.add(digest(id));
    return id;
  }

  hasSession(id: unknown): boolean {
    return typeof id === 'string' && id.length > 0 && this.sessions.has(digest(id));
  }
}

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
