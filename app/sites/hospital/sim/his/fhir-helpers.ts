/** The simulated HIS's small FHIR helpers: a refusal with its OperationOutcome, a searchset, query values. */
import type { Bundle, OperationOutcome, Resource } from '../../common/fhir-types.ts';

export class FhirProblem extends Error {
  constructor(readonly status: number, readonly issueCode: string, message: string) {
    super(message);
  }
}

export function outcome(issueCode: string, diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: issueCode, diagnostics }] };
}

export function searchset<R extends Resource>(matches: R[], included: Resource[] = []): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    entry: [
      ...matches.map((r) => ({ fullUrl: `${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' as const } })),
      ...included.map((r) => ({ fullUrl: `${r.resourceType}/${r.id}`, resource: r, search: { mode: 'include' as const } })),
    ],
  };
}

export type Query = Record<string, string | string[] | undefined>;

export function values(q: Query, key: string): string[] {
  const v = q[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function allowOnly(q: Query, allowed: string[]): void {
  const unknown = Object.keys(q).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new FhirProblem(400, 'not-supported', `search parameter(s) not supported: ${unknown.join(', ')}`);
}
