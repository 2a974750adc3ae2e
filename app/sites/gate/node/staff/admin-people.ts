/**
 * The administrator's people pages: search, one person's record (the ID number masked, no face
 * shown: only whether faces are kept), HR's changes (group, department, active) and the roster CSV
 * HR exchanges. A person record is made only from a verified chip, never here.
 */
import { z } from 'zod';
import { KioskError } from '../../../../core/errors.ts';
import { COLLECTIONS, EVENT_KINDS, parseBody, personRecord, type PersonRecord } from '../../common/records.ts';
import { CsvError } from '../../common/csv.ts';
import { parseRoster, rosterCsv, type RosterProblem } from '../../common/roster.ts';
import { localTime } from '../../common/local-time.ts';
import { searchFold as fold } from '../../common/search.ts';
import { SOURCES } from '../people.ts';
import type { GateStaffContext } from './context.ts';
import { staffAction } from './input.ts';
import type { SiteStaffAction } from '../../../site-node.ts';

const SEARCH_LIMIT = 50;
const personKey = z.string().regex(/^[WV]-[0-9a-f]{24}$/, 'a person key');

/** What lists show of a person: enough to tell people apart, nothing from the chip beyond the name. */
export function personRow(key: string, p: PersonRecord) {
  return { key, kind: p.kind, name: p.name, employeeNo: p.employeeNo ?? null, department: p.department ?? null, group: p.group, active: p.active };
}

/** Only the last three digits: enough for staff to check against the card in the person's hand. */
export function maskIdNumber(idNumber: string): string {
  return `${'•'.repeat(Math.max(0, idNumber.length - 3))}${idNumber.slice(-3)}`;
}


export interface PersonChange {
  readonly group?: string;
  /** An empty text clears the department. */
  readonly department?: string;
  readonly active?: boolean;
}

/** Applies HR's change to one person's record (refused if someone changed it meanwhile); returns whether anything changed. */
export async function changePerson(ctx: GateStaffContext, key: string, change: PersonChange, by: string): Promise<boolean> {
  const r = await ctx.store.get(COLLECTIONS.person, key);
  if (!r || r.deleted) throw new KioskError('GATE_PERSON_UNKNOWN', 'no such person');
  const before = parseBody(personRecord, r);
  if (change.group !== undefined && !ctx.directory.groups.has(change.group)) throw new KioskError('GATE_GROUP_UNKNOWN', `no access group "${change.group.slice(0, 64)}"`);
  const { department: _old, ...rest } = before;
  const department = change.department === undefined ? before.department : change.department.trim() || undefined;
  const next: PersonRecord = { ...rest, ...(department ? { department } : {}), group: change.group ?? before.group, active: change.active ?? before.active };
  const changed = next.group !== before.group || next.active !== before.active || next.department !== before.department;
  if (!changed) return false;
  await ctx.store.put(COLLECTIONS.person, key, next, { ifVersion: r.version });
  const fields = { group: next.group !== before.group, department: next.department !== before.department, active: next.active !== before.active };
  await ctx.store.appendEvent({ key: `${ctx.terminalId}:${key}:change:${r.version}`, kind: EVENT_KINDS.admin, at: ctx.clock().toISOString(), terminalId: ctx.terminalId, subject: key, data: { change: 'person', by, ...fields, active: next.active } });
  ctx.audit('gate.person-change', { person: key, by, ...fields, active: next.active });
  return true;
}

export function peopleActions(ctx: GateStaffContext): Record<string, SiteStaffAction> {
  return {
    'people-search': staffAction([], z.object({ query: z.string().max(100).default(''), kind: z.enum(['worker', 'visitor', 'all']).default('worker') }).strict(), async ({ query, kind }) => {
      const q = fold(query.trim());
      const matches = [...ctx.directory.people.entries()].filter(([, p]) => {
        if (kind !== 'all' && p.kind !== kind) return false;
        return !q || [p.name, p.employeeNo ?? '', p.department ?? ''].some((f) => fold(f).includes(q));
      });
      matches.sort(([, a], [, b]) => a.name.localeCompare(b.name, 'vi'));
      const groups = Object.fromEntries([...ctx.directory.groups].map(([id, g]) => [id, g.name]));
      const departments = [...new Set([...ctx.directory.people.values()].map((p) => p.department).filter((d): d is string => !!d))].sort((a, b) => a.localeCompare(b, 'vi'));
      return { total: matches.length, people: matches.slice(0, SEARCH_LIMIT).map(([key, p]) => personRow(key, p)), groups, departments };
    }),

    'person-view': staffAction([], z.object({ key: personKey }).strict(), async ({ key }) => {
      const r = await ctx.store.get(COLLECTIONS.person, key);
      if (!r || r.deleted) throw new KioskError('GATE_PERSON_UNKNOWN', 'no such person');
      const p = parseBody(personRecord, r);
      const sealed = ctx.seals.openPerson(COLLECTIONS.person, key, p.sealed);
      const faces: string[] = [];
      for (const source of SOURCES) if ((await ctx.store.get(COLLECTIONS.template, `${key}:${source}`))?.deleted === false) faces.push(source);
      const recent = await ctx.store.events({ subject: key, kind: EVENT_KINDS.access, limit: 10 });
      return {
        ...personRow(key, p),
        idNumber: maskIdNumber(sealed.idNumber),
        birthYear: p.profile.birthYear, sex: p.profile.sex, residenceProvince: p.profile.residenceProvince ?? null,
        validFrom: p.validFrom ?? null, validUntil: p.validUntil ?? null, enrolledAt: p.enrolledAt, consentAt: p.consentAt ?? null,
        faces,
        blocklisted: ctx.directory.blockedByIdRef(p.idRef) !== undefined,
        recent: recent.map((e) => {
          const d = e.data as { door?: unknown; direction?: unknown; decision?: unknown; reason?: unknown };
          return { at: e.at, door: String(d.door ?? ''), direction: String(d.direction ?? ''), decision: String(d.decision ?? ''), reason: typeof d.reason === 'string' ? d.reason : null };
        }),
      };
    }),

    'person-update': staffAction(
      [],
      z.object({ key: personKey, group: z.string().min(1).max(64).optional(), department: z.string().max(100).optional(), active: z.boolean().optional() }).strict(),
      async ({ key, ...change }, staff) => {
        const changed = await changePerson(ctx, key, change, staff.name);
        await ctx.directory.catchUp();
        const p = ctx.directory.people.get(key);
        return { changed, person: p ? personRow(key, p) : null };
      },
    ),

    'roster-export': staffAction([], z.object({}).strict(), async () => {
      const day = localTime(ctx.clock(), ctx.settings.timeZone).day;
      return { filename: `roster-${ctx.siteId}-${day}.csv`, csv: rosterCsv([...ctx.directory.people.values()]) };
    }),

    'roster-import': staffAction([], z.object({ csv: z.string().min(1, 'empty file').max(4_000_000, 'at most 4 MB') }).strict(), async ({ csv }, staff) => {
      const byEmployeeNo = new Map([...ctx.directory.people].filter(([, p]) => p.kind === 'worker' && p.employeeNo).map(([key, p]) => [p.employeeNo!, key]));
      let parsed;
      try {
        parsed = parseRoster(csv, new Set(byEmployeeNo.keys()), new Set(ctx.directory.groups.keys()));
      } catch (e) {
        throw new KioskError('GATE_ROSTER_INVALID', e instanceof CsvError ? e.message : 'the file is not a CSV roster');
      }
      let changed = 0, unchanged = 0;
      const problems: RosterProblem[] = [...parsed.problems];
      for (const { employeeNo, ...change } of parsed.changes) {
        try {
          if (await changePerson(ctx, byEmployeeNo.get(employeeNo)!, change, staff.name)) changed++;
          else unchanged++;
        } catch (e) {
          problems.push({ line: 0, code: 'NOT_APPLIED', value: employeeNo, problem: `employee ${employeeNo}: ${(e as { code?: string }).code ?? 'error'}` });
        }
      }
      await ctx.directory.catchUp();
      const rows = parsed.changes.length + parsed.problems.length;
      ctx.audit('gate.roster-import', { by: staff.name, rows, changed, problems: problems.length });
      return { rows, changed, unchanged, problems: problems.slice(0, 200) };
    }),
  };
}
