/**
 * Invitations (reception and the administrator) and the blocklist (the administrator). An
 * invitation is made by ID number, which is kept only as its keyed hash; the screen gives the
 * window on the site's wall clock. A blocklist entry restricts an ID number, a face, or both (a
 * person already enrolled: their ID and their kept face), and raises the alarm at every door.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { KioskError } from '../../../../core/errors.ts';
import { instantAt } from '../../common/local-time.ts';
import { searchFold } from '../../common/search.ts';
import { COLLECTIONS, EVENT_KINDS, type BlocklistRecord } from '../../common/records.ts';
import { imageKind } from '../../../../platform/camera/camera.ts';
import type { SiteStaffAction } from '../../../site-node.ts';
import type { FaceTemplates } from '../people.ts';
import { MAX_PHOTO_BYTES, photoKey } from '../photos.ts';
import type { GateStaffContext } from './context.ts';
import { staffAction } from './input.ts';

const RECEPTION = ['reception'] as const;
const invitationKey = z.string().regex(/^I-[0-9A-F]{8}$/, 'an invitation number such as I-1A2B3C4D');
const blocklistKey = z.string().regex(/^B-[0-9A-Z-]{1,40}$/, 'a blocklist entry');
const idNumber = z.string().regex(/^\d{12}$/, '12 digits');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 08:30');
const OPEN = new Set(['invited', 'awaiting-host', 'arrived']);

/** An invitation as the staff screen makes it: the window on the site's wall clock. */
const invitationForm = z
  .object({
    idNumber,
    name: z.string().trim().min(1).max(200),
    host: z.string().min(1).max(64),
    purpose: z.string().trim().min(1).max(200),
    plate: z.string().trim().max(20).optional(),
    day: z.iso.date('a day as YYYY-MM-DD'),
    from: hhmm,
    untilDay: z.iso.date('a day as YYYY-MM-DD').optional(),
    until: hhmm,
  })
  .strict();

/** A picture as the staff screen sends it: base64 of a JPEG or PNG of at most MAX_PHOTO_BYTES. */
const picture = z.base64('a JPEG or PNG picture, base64').max(Math.ceil(MAX_PHOTO_BYTES / 3) * 4, 'a picture of at most 1 MiB');

const blocklistAdd = z.union([
  // Someone not enrolled: by their ID number, by a picture of their face, or both.
  z
    .object({ idNumber: idNumber.optional(), name: z.string().trim().min(1).max(200), reason: z.string().trim().min(1).max(300), picture: picture.optional() })
    .strict()
    .refine((v) => v.idNumber !== undefined || v.picture !== undefined, 'an ID number or a picture of the face'),
  z.object({ person: z.string().regex(/^[WV]-[0-9a-f]{24}$/, 'a person key'), reason: z.string().trim().min(1).max(300) }).strict(),
]);

export function visitorActions(ctx: GateStaffContext): Record<string, SiteStaffAction> {
  return {
    'invitation-list': staffAction(RECEPTION, z.object({ status: z.enum(['open', 'all']).default('open') }).strict(), async ({ status }) => {
      const rows = [...ctx.directory.invitations.entries()].filter(([, i]) => status === 'all' || OPEN.has(i.status));
      rows.sort(([, a], [, b]) => b.from.localeCompare(a.from));
      return {
        invitations: rows.slice(0, 300).map(([key, i]) => ({
          key, name: i.name, hostName: i.hostName, purpose: i.purpose, plate: i.plate ?? null, from: i.from, until: i.until, status: i.status, walkIn: i.walkIn,
        })),
      };
    }),

    /** Whom a visitor may visit: active workers whose name, number or department matches. */
    'invitation-hosts': staffAction(RECEPTION, z.object({ query: z.string().max(100).default('') }).strict(), async ({ query }) => {
      const q = searchFold(query.trim());
      const hosts = [...ctx.directory.people.entries()]
        .filter(([, p]) => p.kind === 'worker' && p.active && (!q || [p.name, p.employeeNo ?? '', p.department ?? ''].some((f) => searchFold(f).includes(q))))
        .sort(([, a], [, b]) => a.name.localeCompare(b.name, 'vi'))
        .slice(0, 20);
      return { hosts: hosts.map(([key, p]) => ({ key, name: p.name, department: p.department ?? null })) };
    }),

    'invitation-create': staffAction(RECEPTION, invitationForm, async (form, staff) => {
      const tz = ctx.settings.timeZone;
      const from = instantAt(form.day, form.from, tz);
      const until = instantAt(form.untilDay ?? form.day, form.until, tz);
      const key = await ctx.visitors.invite(
        { idNumber: form.idNumber, name: form.name, host: form.host, purpose: form.purpose, ...(form.plate ? { plate: form.plate } : {}), from: from.toISOString(), until: until.toISOString() },
        staff.name,
        ctx.clock(),
      );
      await ctx.directory.catchUp();
      return { key };
    }),

    'invitation-cancel': staffAction(RECEPTION, z.object({ key: invitationKey }).strict(), async ({ key }, staff) => {
      await ctx.visitors.cancel(key, staff.name);
      await ctx.directory.catchUp();
      return { key, status: ctx.visitors.status(key) };
    }),

    /** The host answered reception (by phone, in person) for a walk-in. */
    'invitation-answer': staffAction(RECEPTION, z.object({ key: invitationKey, approve: z.boolean() }).strict(), async ({ key, approve }, staff) => {
      await ctx.visitors.answer(key, approve, staff.name);
      await ctx.directory.catchUp();
      return { key, status: ctx.visitors.status(key) };
    }),

    'blocklist-list': staffAction([], z.object({}).strict(), async () => {
      const entries = [...ctx.directory.blocklist.entries()].sort(([, a], [, b]) => b.addedAt.localeCompare(a.addedAt));
      const faces = new Set<string>();
      for (const [key] of entries) if ((await ctx.store.get(COLLECTIONS.template, `${key}:chip`))?.deleted === false || (await ctx.store.get(COLLECTIONS.template, `${key}:live`))?.deleted === false) faces.add(key);
      return {
        entries: entries.map(([key, b]) => ({ key, name: b.name, reason: b.reason, byId: b.idRef !== undefined, byFace: faces.has(key), addedBy: b.addedBy, addedAt: b.addedAt })),
      };
    }),

    /**
     * Blocks a person already enrolled (their ID number and their face), or someone who is not: by
     * their ID number, a picture of their face (the guard's alarm card shows it), or both.
     */
    'blocklist-add': staffAction([], blocklistAdd, async (input, staff) => {
      const now = ctx.clock();
      const key = `B-${randomBytes(5).toString('hex').toUpperCase()}`;
      let entry: BlocklistRecord;
      let face: FaceTemplates | undefined;
      let image: Uint8Array | undefined;
      if ('person' in input) {
        const person = ctx.directory.people.get(input.person);
        if (!person) throw new KioskError('GATE_PERSON_UNKNOWN', 'no such person');
        face = await ctx.people.face(input.person, ctx.settings.faceModel);
        entry = { name: person.name, reason: input.reason, idRef: person.idRef, addedBy: staff.name.slice(0, 64), addedAt: now.toISOString() };
      } else {
        if (input.picture !== undefined) {
          image = Buffer.from(input.picture, 'base64');
          face = await pictureFace(ctx, image);
        }
        entry = { name: input.name, reason: input.reason, ...(input.idNumber ? { idRef: ctx.people.idRef(input.idNumber) } : {}), addedBy: staff.name.slice(0, 64), addedAt: now.toISOString() };
      }
      if (entry.idRef !== undefined && ctx.directory.blockedByIdRef(entry.idRef)) throw new KioskError('GATE_ALREADY_BLOCKLISTED', 'this ID number is already on the blocklist');
      await ctx.store.put(COLLECTIONS.blocklist, key, entry, { ifVersion: 0 });
      if (face) await ctx.people.setFace(key, 'blocklist', face, now);
      if (image) await ctx.photos.put(photoKey.blocklist(key), image, now);
      await ctx.store.appendEvent({ key: `${ctx.terminalId}:${key}:add`, kind: EVENT_KINDS.admin, at: now.toISOString(), terminalId: ctx.terminalId, subject: key, data: { change: 'blocklist-add', by: staff.name, face: face !== undefined } });
      ctx.audit('gate.blocklist-add', { entry: key, by: staff.name, byFace: face !== undefined, ...('person' in input ? { person: input.person } : {}) });
      await ctx.directory.catchUp();
      return { key, byFace: face !== undefined };
    }),

    'blocklist-remove': staffAction([], z.object({ key: blocklistKey }).strict(), async ({ key }, staff) => {
      if (!ctx.directory.blocklist.has(key)) throw new KioskError('GATE_BLOCKLIST_UNKNOWN', 'no such blocklist entry');
      await ctx.people.setFace(key, 'blocklist', undefined, ctx.clock());
      await ctx.photos.remove(photoKey.blocklist(key));
      await ctx.store.remove(COLLECTIONS.blocklist, key);
      await ctx.store.appendEvent({ key: `${ctx.terminalId}:${key}:remove`, kind: EVENT_KINDS.admin, at: ctx.clock().toISOString(), terminalId: ctx.terminalId, subject: key, data: { change: 'blocklist-remove', by: staff.name } });
      ctx.audit('gate.blocklist-remove', { entry: key, by: staff.name });
      await ctx.directory.catchUp();
      return { key };
    }),
  };
}

/** The face of a blocklist picture as a template of the site's model; the picture must show one face that can be measured. */
async function pictureFace(ctx: GateStaffContext, image: Uint8Array): Promise<FaceTemplates> {
  if (!imageKind(image)) throw new KioskError('GATE_PICTURE_INVALID', 'the picture is not a JPEG or PNG');
  const t = await ctx.embedPicture(image);
  if (t.model !== ctx.settings.faceModel) throw new KioskError('FACE_MODEL_MISMATCH', `this kiosk measures faces with ${t.model}, the site's galleries hold ${ctx.settings.faceModel}`);
  return { model: t.model, chip: t.template };
}
