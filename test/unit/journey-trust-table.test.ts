/**
 * docs/security.md "Decision table" against the one decision function: every feasible combination
 * of verdicts and policy is matched to the table's first matching row, and that row's action, code
 * and "try again" must be what trustDecision returns. Every row must decide at least one
 * combination (no dead rows), and every cell must name values that exist (no typos).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trustDecision, type CentralMode, type DocumentType, type TrustPolicy } from '../../app/core/journey/trust.ts';

const VERDICTS = ['VERIFIED', 'MISMATCH', 'NOT_FOUND', 'REVOKED', 'EXPIRED', 'SECURITY_FAILURE'];
/** What the central step can answer under each way of asking. */
const ANSWERS: Record<CentralMode, string[]> = {
  none: ['NOT_CONFIGURED'],
  'require-online': [...VERDICTS, 'UNAVAILABLE'],
  'allow-offline': [...VERDICTS, 'PENDING'],
  deny: [...VERDICTS, 'DENIED'],
};
const DOMAINS: Record<string, readonly string[]> = {
  'passive auth': ['PA_OK', 'PA_NO_TRUST_ANCHOR', 'PA_HASH_MISMATCH', 'PA_SIGNATURE_INVALID', 'PA_DSC_UNTRUSTED'],
  'clone check': ['CHIP_GENUINE', 'CHIP_NOT_CHECKED', 'CHIP_CLONE_SUSPECTED'],
  document: ['cccd', 'icao'],
  'chip must be genuine': ['yes', 'no'],
  'unanchored accepted': ['yes', 'no'],
  'central service': Object.keys(ANSWERS),
  'central answer': [...new Set(Object.values(ANSWERS).flat())],
};
const CONDITIONS = Object.keys(DOMAINS);
const ACTIONS: Record<string, string> = { 'go on': 'go-on', staff: 'staff', refuse: 'refuse' };

type Row = { line: number; cells: Record<string, string> };

function decisionTable(): Row[] {
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
function cellValues(cell: string): string[] | 'any' {
  if (cell === 'any') return 'any';
  return cell.split(',').map((v) => v.trim().replace(/^`|`$/g, ''));
}

const rows = decisionTable();

function* combinations(): Generator<Record<string, string>> {
  for (const pa of DOMAINS['passive auth']!)
    for (const clone of DOMAINS['clone check']!)
      for (const document of DOMAINS.document!)
        for (const genuine of ['yes', 'no'])
          for (const unanchored of ['yes', 'no'])
            for (const central of Object.keys(ANSWERS) as CentralMode[])
              for (const answer of ANSWERS[central])
                yield {
                  'passive auth': pa, 'clone check': clone, document, 'chip must be genuine': genuine,
                  'unanchored accepted': unanchored, 'central service': central, 'central answer': answer,
                };
}

const matches = (row: Row, c: Record<string, string>) =>
  CONDITIONS.every((col) => {
    const v = cellValues(row.cells[col]!);
    return v === 'any' || v.includes(c[col]!);
  });

describe('docs/security.md decision table', () => {
  it('has the columns the check reads, and every cell names values that exist', () => {
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      for (const col of CONDITIONS) {
        const v = cellValues(row.cells[col] ?? '');
        if (v !== 'any') for (const value of v) expect(DOMAINS[col], `row ${row.line}, ${col}: ${value}`).toContain(value);
      }
      expect(Object.keys(ACTIONS), `row ${row.line} action`).toContain(row.cells.action);
      expect(['yes', 'no'], `row ${row.line} try again`).toContain(row.cells['try again']);
    }
  });

  it('decides every combination the way trustDecision does, through its first matching row', () => {
    const used = new Set<number>();
    let checked = 0;
    for (const c of combinations()) {
      const row = rows.find((r) => matches(r, c));
      expect(row, `no row matches ${JSON.stringify(c)}`).toBeDefined();
      used.add(row!.line);
      const policy: TrustPolicy = {
        acceptUnanchoredSigner: c['unanchored accepted'] === 'yes',
        requireChipGenuine: c['chip must be genuine'] === 'yes' ? ['cccd'] : [],
        central: c['central service'] as CentralMode,
      };
      const summary = { passiveAuth: c['passive auth']!, chipAuth: c['clone check']!, accessMethod: 'PACE-CAN', documentType: c.document as DocumentType };
      const got = trustDecision(summary, { verdict: c['central answer']! }, policy);
      const code = row!.cells.code!.replace(/^`|`$/g, '').replace(/<([a-z ]+)>/g, (_, col: string) => c[col] ?? `<${col}>`);
      expect({ action: got.action, code: got.code, retry: got.retryable, accepted: got.accepted }, `row ${row!.line} for ${JSON.stringify(c)}`).toEqual({
        action: ACTIONS[row!.cells.action!],
        code,
        retry: row!.cells['try again'] === 'yes',
        accepted: row!.cells.action === 'go on',
      });
      checked += 1;
    }
    expect(checked).toBeGreaterThan(1000);
    expect([...used].sort((a, b) => a - b), 'rows that never decide anything').toEqual(rows.map((r) => r.line));
  });
});
