/**
 * docs/security.md "Decision table" against the one decision function: every feasible combination
 * of verdicts and policy is matched to the table's first matching row, and that row's action, code
 * and "try again" must be what trustDecision returns. Every row must decide at least one
 * combination (no dead rows), and every cell must name values that exist (no typos).
 */
import { describe, expect, it } from 'vitest';
import { trustDecision, type CentralMode, type DocumentType, type TrustPolicy } from '../../app/core/journey/trust.ts';
import { ACTIONS, ANSWERS, CONDITIONS, DOMAINS, cellValues, decisionTable, firstRow, rowOutcome, type Case } from '../support/decision-table.ts';

const rows = decisionTable();

function* combinations(): Generator<Case> {
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
      const row = firstRow(rows, c);
      expect(row, `no row matches ${JSON.stringify(c)}`).toBeDefined();
      used.add(row!.line);
      const policy: TrustPolicy = {
        acceptUnanchoredSigner: c['unanchored accepted'] === 'yes',
        requireChipGenuine: c['chip must be genuine'] === 'yes' ? ['cccd'] : [],
        central: c['central service'] as CentralMode,
      };
      const summary = { passiveAuth: c['passive auth']!, chipAuth: c['clone check']!, accessMethod: 'PACE-CAN', documentType: c.document as DocumentType };
      const got = trustDecision(summary, { verdict: c['central answer']! }, policy);
      expect({ action: got.action, code: got.code, retryable: got.retryable, accepted: got.accepted }, `row ${row!.line} for ${JSON.stringify(c)}`).toEqual(rowOutcome(row!, c));
      checked += 1;
    }
    expect(checked).toBeGreaterThan(1000);
    expect([...used].sort((a, b) => a - b), 'rows that never decide anything').toEqual(rows.map((r) => r.line));
  });
});
