/**
 * Checks of option values shared by the commands: a bad value is a UsageError naming the flag and
 * what it accepts (exit 64 with the usage), never a NaN that travels on.
 */
import { UsageError } from './command.ts';

/** A number option within [min, max] (whole unless `fraction`); undefined when the option was not given. */
export function numberOption(value: string | undefined, flag: string, range: { readonly min?: number; readonly max: number; readonly fraction?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const min = range.min ?? 0;
  const n = value.trim() === '' ? NaN : Number(value);
  const whole = range.fraction === true || Number.isInteger(n);
  if (!Number.isFinite(n) || !whole || n < min || n > range.max) {
    throw new UsageError(`${flag} must be ${range.fraction ? 'a number' : 'a whole number'} from ${min} to ${range.max}, not "${value.slice(0, 40)}"`);
  }
  return n;
}

/** A TCP port (0: any free port). */
export function portOption(value: string | undefined, flag = '--port'): number | undefined {
  return numberOption(value, flag, { max: 65_535 });
}

/** One of a few words. */
export function choiceOption<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be ${choices.slice(0, -1).join(', ')}${choices.length > 1 ? ' or ' : ''}${choices.at(-1)}, not "${value.slice(0, 40)}"`);
}
