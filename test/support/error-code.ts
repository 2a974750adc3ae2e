import { KioskError, ParseError } from '../../app/core/errors.ts';

/** The ParseError code `f` throws, or 'NO_ERROR'; anything else is rethrown (a bug, not bad input). */
export function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ParseError) return e.code;
    throw e;
  }
  return 'NO_ERROR';
}

/** The KioskError code a promise rejects with, or 'NO_ERROR'; anything else is rethrown. */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KioskError) return e.code;
    throw e;
  }
  return 'NO_ERROR';
}
