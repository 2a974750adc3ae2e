/**
 * HL7 FHIR R4 REST over HTTP(S) with JSON, as the hospital's adapters use it: one call with the
 * profile's deadline and credentials, answers checked against the resource shapes the adapters read,
 * and every failure a HospitalError with a stable code (docs/hospital-integration.md, "Auth, time-outs,
 * failures"). Redirects are refused.
 */
import type { z } from 'zod';
import { HttpFailure, requestJson, type JsonResponse } from '../../../../platform/http/http-json.ts';
import { bundleSchema, FHIR_JSON, type Bundle } from '../../common/fhir-types.ts';
import { HospitalError } from '../../common/types.ts';

export type { JsonResponse };

export interface FhirClientOptions {
  /** Service base URL, e.g. `https://his.example/fhir` (no trailing slash needed). */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Value of the Authorization header, built by the host from the profile's secrets. */
  readonly authorization?: string;
}

export class FhirClient {
  private readonly base: string;

  constructor(private readonly options: FhirClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async readCreated<S extends ResourceSchema>(res: JsonResponse, schema: S): Promise<z.infer<S>> {
    const type = schema.shape.resourceType.value;
    const location = res.headers.get('location') ?? res.headers.get('content-location');
    const match = location?.match(new RegExp(`${type}/([A-Za-z0-9\\-.]{1,64})`));
    if (!match) throw new HospitalError('HIS_BAD_RESPONSE', `the HIS created a ${type} but returned neither it nor its Location`);
    const got = await this.send('GET', `${type}/${match[1]}`);
    this.expectStatus(got, [200], `read ${type}`);
    return asResource(got.body, schema);
  }

  async search(type: string, params: Record<string, string | string[]>): Promise<Bundle> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) query.append(k, one);
    const res = await this.send('GET', `${type}?${query}`);
    this.expectStatus(res, [200], `search ${type}`);
    return asResource(res.body, bundleSchema);
  }

  async send(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
    try {
      return await requestJson(`${this.base}/${path}`, {
        method,
        body,
        contentType: FHIR_JSON,
        timeoutMs: this.options.timeoutMs,
        headers: { ...headers, ...(this.options.authorization ? { authorization: this.options.authorization } : {}) },
      });
    } catch (e) {
      if (e instanceof HttpFailure) {
        const code = e.kind === 'timeout' ? 'HIS_TIMEOUT' : e.kind === 'unreachable' ? 'HIS_UNREACHABLE' : 'HIS_BAD_RESPONSE';
        throw new HospitalError(code, `hospital system: ${e.message}`, { operation: `${method} ${path.split('?')[0]}` });
      }
      throw e;
    }
  }

  expectStatus(res: JsonResponse, ok: number[], what: string): void {
    if (ok.includes(res.status)) return;
    const detail = { operation: what, status: res.status, issue: outcomeCode(res.body) };
    if (res.status === 401 || res.status === 403) throw new HospitalError('HIS_AUTH_FAILED', `${what}: the HIS refused the kiosk's credentials`, detail);
    if (res.status === 404) throw new HospitalError('HIS_NOT_FOUND', `${what}: not found`, detail);
    if (res.status >= 500) throw new HospitalError('HIS_UNREACHABLE', `${what}: the HIS failed (HTTP ${res.status})`, detail);
    throw new HospitalError('HIS_REJECTED', `${what}: the HIS refused the request (HTTP ${res.status})`, detail);
  }
}

/** A FHIR resource schema of ours: loose object with a literal resourceType. */
export type ResourceSchema = z.ZodObject<{ resourceType: z.ZodLiteral<string> } & z.ZodRawShape>;

/** Checks an answer against the resource shape the adapter reads; anything else is HIS_BAD_RESPONSE. */
export function asResource<S extends ResourceSchema>(body: unknown, schema: S): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HospitalError('HIS_BAD_RESPONSE', `expected a FHIR ${schema.shape.resourceType.value}`, {
      path: issue ? issue.path.join('.') : null,
    });
  }
  return parsed.data;
}

/** The bundle's resources of one type (matches and includes alike), each checked against its shape. */
export function entriesOf<S extends ResourceSchema>(bundle: Bundle, schema: S): z.infer<S>[] {
  const type = schema.shape.resourceType.value;
  return (bundle.entry ?? []).filter((e) => e.resource?.resourceType === type).map((e) => asResource(e.resource, schema));
}

function outcomeCode(body: unknown): string | null {
  const outcome = body as { resourceType?: string; issue?: { code?: string }[] } | undefined;
  return outcome?.resourceType === 'OperationOutcome' ? (outcome.issue?.[0]?.code ?? null) : null;
}
