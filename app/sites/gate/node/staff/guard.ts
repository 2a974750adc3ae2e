/**
 * The gate's guard staff actions (see ./actions.ts): an alarm with both photos and its
 * acknowledgement, the history of passages, the attendance report and its CSV, the duty logbook,
 * and the statistics with the evacuation list. Inputs come unchecked from the screen: each action
 * parses its own and answers a typed error naming the problem.
 */
import { z } from 'zod';
import { KioskError } from '../../../../core/errors.ts';
import type { SiteStaffAction } from '../../../site-node.ts';
import { toCsv } from '../../common/csv.ts';
import { EVENT_KINDS } from '../../common/records.ts';
import { dataUrl, photoKey } from '../photos.ts';
import { attendanceReport, history, logbook, statistics, type ReportDeps } from '../reports.ts';
import type { GateStaffContext } from './context.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');
const text = z.string().max(100).optional();
const format = z.enum(['rows', 'csv']).default('rows');

const inputs = {
  alarm: z.object({ id: z.number().int().positive() }).strict(),
  acknowledge: z.object({ id: z.number().int().positive(), note: z.string().trim().min(1, 'a note says what was done').max(500) }).strict(),
  history: z.object({ person: text, door: z.string().max(64).optional(), from: day, to: day, before: z.object({ at: z.iso.datetime({ offset: true }), seq: z.number().int().nonnegative() }).strict().optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
  attendance: z.object({ from: day, to: day, person: text, format }).strict(),
  logbook: z.object({ day, format }).strict(),
  statistics: z.object({}).strict(),
};

/** The parsed input, or GATE_INPUT_INVALID naming the first field that is wrong. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new KioskError('GATE_INPUT_INVALID', `${issue.path.join('.') || 'input'}: ${issue.message}`);
}

/** Rows on the screen at most; the CSV has them all. */
const SCREEN_ROWS = 1000;

export function guardActions(ctx: GateStaffContext): Record<string, SiteStaffAction> {
  const deps: ReportDeps = { store: ctx.store, directory: ctx.directory, settings: ctx.settings, clock: ctx.clock };
  const guard = ['guard'] as const;

  /** The open alarm `id`, or GATE_ALARM_UNKNOWN (never raised, or acknowledged already). */
  const openAlarm = async (id: number) => {
    const alert = (await ctx.store.openAlerts()).find((a) => a.id === id && a.kind === 'gate');
    if (!alert) throw new KioskError('GATE_ALARM_UNKNOWN', `no open alarm ${id}`);
    return alert;
  };

  return {
    /** An open alarm with both photos: the blocklist entry's and the live capture that hit. */
    'alarm-detail': {
      roles: guard,
      async run(input) {
        const { id } = parse(inputs.alarm, input);
        const alert = await openAlarm(id);
        const entry = typeof alert.detail.entry === 'string' ? alert.detail.entry : undefined;
        const record = entry !== undefined ? ctx.directory.blocklist.get(entry) : undefined;
        const door = typeof alert.detail.door === 'string' ? alert.detail.door : null;
        return {
          id: alert.id,
          at: alert.raisedAt,
          code: alert.code,
          door: door === null ? null : (ctx.settings.doors.find((x) => x.id === door)?.name ?? door),
          entryName: record?.name ?? null,
          entryReason: record?.reason ?? null,
          score: typeof alert.detail.score === 'number' ? alert.detail.score : null,
          entryPhoto: entry !== undefined ? dataUrl(await ctx.photos.get(photoKey.blocklist(entry))) : null,
          capture: dataUrl(await ctx.photos.get(photoKey.capture(alert.id))),
        };
      },
    },
    /** The guard took the alarm in hand: closed, with what they did in the logbook; audited. */
    'alarm-acknowledge': {
      roles: guard,
      async run(input, staff) {
        const { id, note } = parse(inputs.acknowledge, input);
        const alert = await openAlarm(id);
        if (!(await ctx.store.acknowledgeAlert(id, staff.name))) throw new KioskError('GATE_ALARM_UNKNOWN', `alarm ${id} was acknowledged already`);
        const at = ctx.clock().toISOString();
        await ctx.store.appendEvent({ key: `${ctx.terminalId}:alarm-ack:${id}`, kind: EVENT_KINDS.alarm, at, terminalId: ctx.terminalId, data: { acknowledged: id, reason: alert.code, door: alert.detail.door ?? null, note, by: staff.name } });
        ctx.audit('gate.alarm-acknowledged', { alert: id, code: alert.code, role: staff.role });
        return { acknowledged: id, at };
      },
    },
    /** Passages by person, door and days, newest first, a page at a time. */
    history: {
      roles: guard,
      async run(input) {
        const q = parse(inputs.history, input);
        return history(deps, { from: q.from, to: q.to, limit: q.limit, ...(q.person ? { person: q.person } : {}), ...(q.door ? { door: q.door } : {}), ...(q.before ? { before: q.before } : {}) });
      },
    },
    /** First in, last out and hours per person and day; as rows for the screen, or CSV for HR. */
    attendance: {
      roles: guard,
      async run(input) {
        const q = parse(inputs.attendance, input);
        const query = { from: q.from, to: q.to, ...(q.person ? { person: q.person } : {}) };
        if (q.format === 'csv') {
          const { rows } = await attendanceReport(deps, query);
          const csv = toCsv(['day', 'employee_no', 'name', 'department', 'first_in', 'last_out', 'hours'], rows.map((r) => [r.day, r.employeeNo, r.name, r.department, r.firstIn, r.lastOut, r.hours]));
          return { csv, rows: rows.length, fileName: `attendance-${q.from}-${q.to}.csv` };
        }
        return attendanceReport(deps, query, SCREEN_ROWS);
      },
    },
    /** The duty logbook of one local day: every passage, alarm, acknowledgement and visit. */
    logbook: {
      roles: guard,
      async run(input) {
        const q = parse(inputs.logbook, input);
        const lines = await logbook(deps, q.day);
        if (q.format === 'csv') {
          const csv = toCsv(['time', 'kind', 'door', 'direction', 'name', 'what', 'note', 'by'], lines.map((l) => [l.at, l.kind, l.door, l.direction, l.name, l.what, l.note, l.by]));
          return { csv, rows: lines.length, fileName: `logbook-${q.day}.csv` };
        }
        return { lines: lines.slice(-SCREEN_ROWS), total: lines.length };
      },
    },
    /** Who is inside where (the evacuation list, visitors' vehicles), the workforce's counts, visitors per day. */
    statistics: {
      roles: guard,
      async run(input) {
        parse(inputs.statistics, input);
        return statistics(deps);
      },
    },
  };
}
