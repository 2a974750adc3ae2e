/**
 * Every failure the kiosk can explain carries a stable code. The UI translates codes into plain
 * Vietnamese and English; logs and the audit trail record the code, never the personal data.
 */
export class KioskError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed input to a parser: names the parser's subject and where it went wrong. */
export class ParseError extends KioskError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

export function isKioskError(e: unknown): e is KioskError {
  return e instanceof KioskError;
}
