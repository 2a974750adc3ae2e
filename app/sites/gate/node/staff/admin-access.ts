/**
 * The administrator's access pages: access groups (which doors, on which week plan), week plans
 * and the site's holidays. A group or plan still in use is not removed (people would silently lose
 * or keep access); the visitors' group stays.
 */
import { z } from 'zod';
import { KioskError } from '../../../../core/errors.ts';
import { accessGroupRecord, COLLECTIONS, holidayRecord, weekPlanRecord } from '../../common/records.ts';
import type { SiteStaffAction } from '../../../site-node.ts';
import type { GateStaffContext } from './context.ts';
import { staffAction } from './input.ts';

const recordKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');
const day = z.iso.date('a day as YYYY-MM-DD');

export function accessActions(ctx: GateStaffContext): Record<string, SiteStaffAction> {
  const changed = async (what: string, key: string, by: string, removed = false) => {
    ctx.audit(`gate.${what}-${removed ? 'remove' : 'save'}`, { [what]: key, by });
    await ctx.directory.catchUp();
  };
  const mustNotBeUsed = (code: string, what: string, users: number) => {
    if (users > 0) throw new KioskError(code, `the ${what} is still used ${users} times`, { users });
  };

  return {
    'access-list': staffAction([], z.object({}).strict(), async () => {
      const people = [...ctx.directory.people.values()];
      const groups = await ctx.store.list(COLLECTIONS.group);
      const plans = await ctx.store.list(COLLECTIONS.plan);
      const holidays = await ctx.store.list(COLLECTIONS.holiday);
      const parsed = <T,>(schema: z.ZodType<T>, rows: readonly { key: string; body: unknown }[]) =>
        rows.flatMap((r) => {
          const p = schema.safeParse(r.body);
          return p.success ? [{ key: r.key, ...p.data }] : [];
        });
      return {
        doors: ctx.settings.doors.map((d) => ({ id: d.id, name: d.name, area: d.area, direction: d.direction })),
        visitorGroup: ctx.settings.visitorGroup,
        groups: parsed(accessGroupRecord, groups).map((g) => ({ ...g, plan: g.plan ?? null, people: people.filter((p) => p.group === g.key).length })),
        plans: parsed(weekPlanRecord, plans).map((p) => ({ ...p, groups: [...ctx.directory.groups.values()].filter((g) => g.plan === p.key).length })),
        holidays: parsed(holidayRecord, holidays).map((h) => ({ date: h.key, name: h.name })).sort((a, b) => a.date.localeCompare(b.date)),
      };
    }),

    'group-save': staffAction([], z.object({ key: recordKey, group: accessGroupRecord }).strict(), async ({ key, group }, staff) => {
      const doors = new Set(ctx.settings.doors.map((d) => d.id));
      const unknown = group.doors.filter((d) => !doors.has(d));
      if (unknown.length > 0) throw new KioskError('GATE_DOOR_UNKNOWN', `no door ${unknown.map((d) => `"${d.slice(0, 64)}"`).join(', ')}`);
      if (group.plan !== undefined && !ctx.directory.plans.has(group.plan)) throw new KioskError('GATE_PLAN_UNKNOWN', `no week plan "${group.plan}"`);
      await ctx.store.put(COLLECTIONS.group, key, { ...group, doors: [...new Set(group.doors)] });
      await changed('group', key, staff.name);
      return { key };
    }),

    'group-remove': staffAction([], z.object({ key: recordKey }).strict(), async ({ key }, staff) => {
      if (key === ctx.settings.visitorGroup) throw new KioskError('GATE_GROUP_IN_USE', 'the visitors\' group is named in the site settings');
      if (!ctx.directory.groups.has(key)) throw new KioskError('GATE_GROUP_UNKNOWN', `no access group "${key}"`);
      const people = [...ctx.directory.people.values()].filter((p) => p.group === key).length;
      const open = [...ctx.directory.invitations.values()].filter((i) => i.group === key && ['invited', 'awaiting-host', 'arrived'].includes(i.status)).length;
      mustNotBeUsed('GATE_GROUP_IN_USE', 'access group', people + open);
      await ctx.store.remove(COLLECTIONS.group, key);
      await changed('group', key, staff.name, true);
      return { key };
    }),

    'plan-save': staffAction([], z.object({ key: recordKey, plan: weekPlanRecord }).strict(), async ({ key, plan }, staff) => {
      await ctx.store.put(COLLECTIONS.plan, key, plan);
      await changed('plan', key, staff.name);
      return { key };
    }),

    'plan-remove': staffAction([], z.object({ key: recordKey }).strict(), async ({ key }, staff) => {
      if (!ctx.directory.plans.has(key)) throw new KioskError('GATE_PLAN_UNKNOWN', `no week plan "${key}"`);
      mustNotBeUsed('GATE_PLAN_IN_USE', 'week plan', [...ctx.directory.groups.values()].filter((g) => g.plan === key).length);
      await ctx.store.remove(COLLECTIONS.plan, key);
      await changed('plan', key, staff.name, true);
      return { key };
    }),

    'holiday-save': staffAction([], z.object({ date: day, name: z.string().trim().min(1).max(100) }).strict(), async ({ date, name }, staff) => {
      await ctx.store.put(COLLECTIONS.holiday, date, { name });
      await changed('holiday', date, staff.name);
      return { date };
    }),

    'holiday-remove': staffAction([], z.object({ date: day }).strict(), async ({ date }, staff) => {
      if (!ctx.directory.holidays.has(date)) throw new KioskError('GATE_HOLIDAY_UNKNOWN', `no holiday on ${date}`);
      await ctx.store.remove(COLLECTIONS.holiday, date);
      await changed('holiday', date, staff.name, true);
      return { date };
    }),
  };
}
