/**
 * Staff actions' input: unchecked data from the screen (or a partner's HTTP body), parsed by the
 * action's own zod schema. What does not parse is GATE_INPUT_INVALID naming each field and why, so
 * the screen can say which field to correct (never echoing the values: one may be an ID number).
 */
import type { z } from 'zod';
import type { Staff, StaffRole } from '../../../../core/api/kiosk-api.ts';
import { KioskError } from '../../../../core/errors.ts';
import type { SiteStaffAction } from '../../../site-node.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
  throw new KioskError('GATE_INPUT_INVALID', fields.join('; ').slice(0, 500), { fields: parsed.error.issues.map((i) => i.path.join('.')) });
}

/** A staff action whose input is parsed by `schema` before `run` sees it. */
export function staffAction<S extends z.ZodType>(roles: readonly StaffRole[], schema: S, run: (input: z.infer<S>, staff: Staff) => Promise<unknown>): SiteStaffAction {
  return { roles, run: (input, staff) => run(parseInput(schema, input), staff) };
}
