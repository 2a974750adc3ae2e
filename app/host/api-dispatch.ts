import { isKioskError } from '../core/errors.ts';
import { isKioskMethod, kioskApi, type KioskApiHandlers } from '../core/api/kiosk-api.ts';

/** What a transport sends back: the method's output, or an error the UI can translate by code. */
export type CallResult = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * The single entry for every API call, whichever transport brought it: looks the method up,
 * validates the input against the API schema, runs the handler, and turns failures into codes.
 * Unexpected errors are reported as INTERNAL without their message, which might carry data.
 */
export function createDispatcher(handlers: KioskApiHandlers, onUnexpected: (method: string, e: unknown) => void) {
  return async function call(method: string, rawInput: unknown): Promise<CallResult> {
    if (!isKioskMethod(method)) {
      return { ok: false, error: { code: 'API_UNKNOWN_METHOD', message: `no such method: ${method.slice(0, 64)}` } };
    }
    const spec = kioskApi[method];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(input)').join(', ');
      return { ok: false, error: { code: 'API_BAD_INPUT', message: `invalid input for ${method}: ${where}` } };
    }
    try {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data) };
    } catch (e) {
      if (isKioskError(e)) return { ok: false, error: { code: e.code, message: e.message } };
      onUnexpected(method, e);
      return { ok: false, error: { code: 'INTERNAL', message: 'internal error; see the kiosk log' } };
    }
  };
}
export type Dispatcher = ReturnType<typeof createDispatcher>;
