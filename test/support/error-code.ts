import { ParseError } from '../../app/core/errors.ts';

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
