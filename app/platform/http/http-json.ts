/**
 * One JSON request over HTTP with a deadline, for the sites' adapters (HIS, BHXH, DCS, e-gate). Transport
 * failures come back as a typed `HttpFailure` so each adapter can turn them into its own outcome
 * (an error code for the HIS, an "unavailable" result for the insurance check).
 */

export type HttpFailureKind = 'timeout' | 'unreachable' | 'not-json';

export class HttpFailure extends Error {
  constructor(readonly kind: HttpFailureKind, message: string) {
    super(message);
    this.name = 'HttpFailure';
  }
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed body; undefined when the body was empty. */
  readonly body: unknown;
}

export interface JsonRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Media type of the body and of the expected answer. */
  readonly contentType?: string;
  readonly timeoutMs: number;
}

export async function requestJson(url: string, req: JsonRequest): Promise<JsonResponse> {
  const type = req.contentType ?? 'application/json';
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: req.method ?? 'GET',
      headers: {
        accept: type,
        ...(req.body === undefined ? {} : { 'content-type': `${type}; charset=utf-8` }),
        ...req.headers,
      },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new HttpFailure('timeout', `no answer within ${req.timeoutMs} ms`);
    // The URL may carry credentials (the BHXH gateway wants them in the query): never echo it.
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? 'network error';
    throw new HttpFailure('unreachable', `request failed: ${cause}`);
  }
  if (text.trim() === '') return { status: response.status, headers: response.headers, body: undefined };
  try {
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
  } catch {
    throw new HttpFailure('not-json', `HTTP ${response.status} answer is not JSON`);
  }
}
