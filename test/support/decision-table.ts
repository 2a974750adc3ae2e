/**
 * The "Decision table" of docs/security.md, read as data: rows of conditions (a list of values, or
 * `any`) and the outcome. Rows are read top to bottom and the first match decides, as the page says.
 */
import { readFileSync } from 'node:fs';
import type { CentralMode } from '../../app/core/journey/trust.ts';

const VERDICTS = ['VERIFIED', 'MISMATCH', 'NOT_FOUND', 'REVOKED', 'EXPIRED', 'SECURITY_FAILURE'];
/** What the central step can answer under each way of asking. */
export const ANSWERS: Record<CentralMode, string[]> = {
  none: ['NOT_CONFIGURED'],
  'require-online': [...VERDICTS, 'UNAVAILABLE'],
  'allow-offline': [...VERDICTS, 'PENDING'],
  deny: [...VERDICTS, 'DENIED'],
};
/** Every condition column and the values it can take. */
export const DOMAINS: Record<string, readonly string[]> = {
  'passive auth': ['PA_OK', 'PA_NO_TRUST_ANCHOR', 'PA_HASH_MISMATCH', 'PA_SIGNATURE_INVALID', 'PA_DSC_UNTRUSTED'],
  'clone check': ['CHIP_GENUINE', 'CHIP_NOT_CHECKED', 'CHIP_CLONE_SUSPECTED'],
  document: ['cccd', 'icao'],
  'chip must be genuine': ['yes', 'no'],
  'unanchored accepted': ['yes', 'no'],
  'central service': Object.keys(ANSWERS),
  'central answer': [...new Set(Object.values(ANSWERS).flat())],
};
export const CONDITIONS = Object.keys(DOMAINS);
export const ACTIONS: Record<string, 'go-on' | 'staff' | 'refuse'> = { 'go on': 'go-on', staff: 'staff', refuse: 'refuse' };

/** One combination of condition values, by column name. */
export type Case = Record<string, string>;
export interface Row {
  readonly line: number;
  readonly cells: Record<string, string>;
}

export function decisionTable(): Row[] {
  const text = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith('Decision table'));
  if (!section) throw new Error('docs/security.md has no "## Decision table" section');
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const split = (l: string) => l.slice(1, -1).split('|').map((c) => c.trim());
  const header = split(lines[0]!);
  return lines.slice(2).map((l, i) => {
    const values = split(l);
    if (values.length !== header.length) throw new Error(`decision table row ${i + 1} has ${values.length} cells, the header ${header.length}`);
    return { line: i + 1, cells: Object.fromEntries(header.map((h, j) => [h, values[j]!])) };
  });
}

/** `any`, or a list of back-quoted or plain values. */
export function cellValues(cell: string): string[] | 'any' {
  if (cell === 'any') return 'any';
  return cell.split(',').map((v) => v.trim().replace(/^`|`$/g, ''));
}

export function firstRow(rows: readonly Row[], c: Case): Row | undefined {
  return rows.find((row) =>
    CONDITIONS.every((col) => {
      const v = cellValues(row.cells[col]!);
      return v === 'any' || v.includes(c[col]!);
    }),
  );
}

/** What a row says for a case: the action, the code (`<column>` filled in), "try again". */
export function rowOutcome(row: Row, c: Case): { action: 'go-on' | 'staff' | 'refuse'; code: string; retryable: boolean; accepted: boolean } {
  const code = row.cells.code!.replace(/^`|`$/g, '').replace(/<([a-z ]+)>/g, (_, col: string) => c[col] ?? `<${col}>`);
  return { action: ACTIONS[row.cells.action!]!, code, retryable: row.cells['try again'] === 'yes', accepted: row.cells.action === 'go on' };
}
