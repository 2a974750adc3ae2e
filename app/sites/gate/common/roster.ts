/**
 * The roster as HR exchanges it (CSV): export every enrolled worker; import changes to what HR owns
 * (department, access group, active). A person record is made only from a verified chip at the
 * enrolment desk, so a row for someone not enrolled yet is reported, never created.
 */
import { parseCsv, toCsv } from './csv.ts';
import type { PersonRecord } from './records.ts';

export const ROSTER_HEADER = ['employee_no', 'name', 'department', 'group', 'active', 'enrolled_at'] as const;

export function rosterCsv(people: readonly PersonRecord[]): string {
  const workers = people.filter((p) => p.kind === 'worker').sort((a, b) => (a.employeeNo ?? '').localeCompare(b.employeeNo ?? '') || a.name.localeCompare(b.name, 'vi'));
  return toCsv(ROSTER_HEADER, workers.map((p) => [p.employeeNo ?? '', p.name, p.department ?? '', p.group, p.active ? 'yes' : 'no', p.enrolledAt]));
}

export interface RosterChange {
  readonly employeeNo: string;
  readonly department?: string;
  readonly group?: string;
  readonly active?: boolean;
}

/** Why a row changes nothing, as a code a screen words (with `value`: the employee number or group it names). */
export type RosterProblemCode = 'NO_EMPLOYEE_NO_COLUMN' | 'NO_EMPLOYEE_NO' | 'NOT_ENROLLED' | 'GROUP_UNKNOWN' | 'ACTIVE_INVALID' | 'NOT_APPLIED';

export interface RosterProblem {
  readonly line: number;
  readonly code: RosterProblemCode;
  readonly value?: string;
  readonly problem: string;
}

export interface RosterImport {
  readonly changes: readonly RosterChange[];
  /** Rows that change nothing: a problem named per line (unknown column values, not enrolled…). */
  readonly problems: readonly RosterProblem[];
}

const YES = new Set(['yes', 'y', 'true', '1', 'có', 'co']);
const NO = new Set(['no', 'n', 'false', '0', 'không', 'khong']);

/**
 * Reads an HR roster: a header row naming `employee_no` and any of `department`, `group`, `active`
 * (other columns are ignored), then one row per worker. `known` says which employee numbers are
 * enrolled and `groups` which access groups exist.
 */
export function parseRoster(text: string, known: ReadonlySet<string>, groups: ReadonlySet<string>): RosterImport {
  const rows = parseCsv(text, 50_000);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const at = (name: string) => header.indexOf(name);
  const col = { no: at('employee_no'), department: at('department'), group: at('group'), active: at('active') };
  if (col.no < 0) return { changes: [], problems: [{ line: 1, code: 'NO_EMPLOYEE_NO_COLUMN', problem: 'no employee_no column' }] };
  const changes: RosterChange[] = [];
  const problems: RosterProblem[] = [];
  rows.slice(1).forEach((r, i) => {
    const line = i + 2;
    const employeeNo = (r[col.no] ?? '').trim();
    if (!employeeNo) return void problems.push({ line, code: 'NO_EMPLOYEE_NO', problem: 'no employee number' });
    if (!known.has(employeeNo)) return void problems.push({ line, code: 'NOT_ENROLLED', value: employeeNo.slice(0, 40), problem: `employee ${employeeNo.slice(0, 40)} is not enrolled yet (enrol at the desk with their CCCD)` });
    const change: { employeeNo: string; department?: string; group?: string; active?: boolean } = { employeeNo };
    const department = col.department >= 0 ? r[col.department]?.trim() : undefined;
    if (department) change.department = department.slice(0, 100);
    const group = col.group >= 0 ? r[col.group]?.trim() : undefined;
    if (group) {
      if (!groups.has(group)) return void problems.push({ line, code: 'GROUP_UNKNOWN', value: group.slice(0, 64), problem: `no access group "${group.slice(0, 64)}"` });
      change.group = group;
    }
    const active = col.active >= 0 ? r[col.active]?.trim().toLowerCase() : undefined;
    if (active) {
      if (!YES.has(active) && !NO.has(active)) return void problems.push({ line, code: 'ACTIVE_INVALID', problem: 'active must be yes or no' });
      change.active = YES.has(active);
    }
    changes.push(change);
  });
  return { changes, problems };
}
