import { describe, expect, it, vi } from 'vitest';
import { LAUNCH_TICKET_TTL_MS, PageSessions } from '../../app/host/page-sessions.ts';

describe('page sessions', () => {
  it('a launch ticket opens the door once, and tells whoever wrote it down', () => {
    const sessions = new PageSessions();
    const spent = vi.fn();
    const ticket = sessions.issueTicket(spent);
    expect(ticket).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions.redeemTicket(ticket)).toBe(true);
    expect(spent).toHaveBeenCalledTimes(1);
    expect(sessions.redeemTicket(ticket)).toBe(false);
    for (const junk of [undefined, '', 'x', 42, ticket.toUpperCase()]) expect(sessions.redeemTicket(junk)).toBe(false);
  });

  it('an unused ticket expires', () => {
    let now = 0;
    const sessions = new PageSessions(LAUNCH_TICKET_TTL_MS, () => now);
    const ticket = sessions.issueTicket();
    now += LAUNCH_TICKET_TTL_MS;
    expect(sessions.redeemTicket(ticket)).toBe(false);
  });

  it('knows the sessions it opened and no others', () => {
    const sessions = new PageSessions();
    const id = sessions.openSession();
    expect(sessions.hasSession(id)).toBe(true);
    expect(sessions.hasSession(new PageSessions().openSession())).toBe(false);
    for (const junk of [undefined, '', id.slice(1)]) expect(sessions.hasSession(junk)).toBe(false);
  });
});
