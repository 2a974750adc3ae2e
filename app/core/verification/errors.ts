import { KioskError } from '../errors.ts';

/**
 * Why a call to the verification service produced no trustworthy verdict. `retryable` says whether
 * sending the same request (same requestId) again may succeed; security failures never are.
 */
export const RAR_ERRORS = {
  RAR_CONNECT_FAILED: { retryable: true, text: 'could not connect to the verification service' },
  RAR_CONNECT_TIMEOUT: { retryable: true, text: 'connecting to the verification service timed out' },
  RAR_RESPONSE_TIMEOUT: { retryable: true, text: 'the verification service did not answer in time' },
  RAR_SERVER_ERROR: { retryable: true, text: 'the verification service reported an internal error' },
  RAR_RATE_LIMITED: { retryable: true, text: 'the verification service asked the kiosk to slow down' },
  RAR_CIRCUIT_OPEN: { retryable: true, text: 'the verification service is failing; calls are paused' },
  RAR_TLS_FAILED: { retryable: false, text: 'the TLS handshake with the verification service failed' },
  RAR_PIN_MISMATCH: { retryable: false, text: 'the verification service presented a certificate that is not pinned' },
  RAR_TERMINAL_REJECTED: { retryable: false, text: 'the verification service does not accept this terminal' },
  RAR_REQUEST_REJECTED: { retryable: false, text: 'the verification service rejected the request' },
  RAR_MALFORMED_RESPONSE: { retryable: false, text: 'the verification service sent a malformed response' },
  RAR_BAD_SIGNATURE: { retryable: false, text: 'the response signature does not verify against the pinned key' },
  RAR_REPLAYED_RESPONSE: { retryable: false, text: 'the response answers a different request' },
  RAR_CLOCK_SKEW: { retryable: false, text: 'the response timestamp is outside the accepted window' },
  RAR_UNKNOWN_REQUEST: { retryable: false, text: 'the verification service has no record of this request' },
} as const;
export type RarErrorCode = keyof typeof RAR_ERRORS;

export class RarError extends KioskError {
  readonly retryable: boolean;
  constructor(
    override readonly code: RarErrorCode,
    detail?: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, detail ? `${RAR_ERRORS[code].text}: ${detail}` : RAR_ERRORS[code].text, details);
    this.retryable = RAR_ERRORS[code].retryable;
  }
}

/** A verification request the kiosk cannot build (bad subject data): names the field. */
export class VerificationInputError extends KioskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('VERIFICATION_INPUT_INVALID', message, details);
  }
}
