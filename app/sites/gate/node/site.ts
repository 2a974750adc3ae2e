/**
 * The gate site module, Node half: the site store (embedded SQLite, or a file stations on one
 * machine share), the site's keys, the directory that follows the store, the door and the hosts'
 * notifier (or the device simulator), the flows of the station's role, and the timers that reset
 * anti-passback areas and end visitors' windows.
 */
import { KioskError } from '../../../core/errors.ts';
import type { FaceGallery } from '../../../core/journey/ports.ts';
import type { CodeIdentity } from '../../../core/journey/site-flow.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { parseSealingKey } from '../../../platform/store/sealing.ts';
import { siteNode } from '../../site-node.ts';
import { siteStoreOf } from '../../../platform/store/site-store/shared-file.ts';
import { settingsProblems, type GateSettings } from '../common/config.ts';
import { deriveSiteKeys } from '../common/identity.ts';
import { localTime, minuteOfDay } from '../common/local-time.ts';
import type { Door, Notifier } from '../common/ports.ts';
import { gate, type GateBoard } from '../common/site.ts';
import { readBoard } from './board.ts';
import { GateDirectory } from './directory.ts';
import { doorService } from './door-service.ts';
import { relayDoor, isapiDoor } from './doors.ts';
import { doorFlow, enrolmentFlow, receptionFlow } from './flows.ts';
import { webhookNotifier } from './notifier.ts';
import { PeopleStore } from './people.ts';
import { GatePhotos } from './photos.ts';
import { startRetention } from './retention.ts';
import { GateSeals } from './seals.ts';
import { seedDemoFactory } from './seed.ts';
import { Visitors } from './visitors.ts';
import { verifyPass } from '../common/visitor-pass.ts';
import { gateStaffActions } from './staff/actions.ts';
import { startPartnerApi } from './partner-api.ts';

/** The demo's webhook secret (the simulator checks the signature with it). */
const SIM_WEBHOOK_SECRET = 'demo-gate-webhook';
const FOLLOW_MS = 2000;
const TICK_MS = 30_000;
/** How often the guard's board is read again from the site store. */
const BOARD_MS = 3000;
const RESET_COLLECTION = 'gate-area-reset';

function usesSimulator(s: GateSettings): boolean {
  return s.doors.some((d) => d.controller.adapter === 'sim') || s.notifier.adapter === 'sim' || s.demoPeople !== undefined;
}

export const gateNode = siteNode(gate, {
  async wire(ctx) {
    const { settings } = ctx;
    const problems = settingsProblems(settings);
    if (problems.length > 0) throw new KioskError('GATE_CONFIG_INVALID', problems.join('; '));
    const keys = deriveSiteKeys(parseSealingKey(ctx.readSecret(settings.siteKey, 'site.siteKey'), 'GATE_CONFIG_INVALID', 'site.siteKey'));
    const seals = new GateSeals(keys.seal);
    const { store, own } = siteStoreOf(ctx, settings.store?.file, 'GATE_CONFIG_INVALID');
    const sims = usesSimulator(settings) ? await import('./demo-wiring.ts') : undefined;
    const devices = sims ? await sims.startDevicesSim({ webhookSecret: SIM_WEBHOOK_SECRET }) : undefined;
    const clock = () => new Date();
    const audit = (action: string, detail: Record<string, string | number | boolean>) => void ctx.audit.append({ actor: 'kiosk', action, detail });

    const doorOf = (id: string): Door => {
      const index = settings.doors.findIndex((d) => d.id === id);
      const c = settings.doors[index]!.controller;
      const keyPath = `site.doors.${index}.controller`;
      if (c.adapter === 'relay') return relayDoor(c, ctx.readSecret, keyPath);
      if (c.adapter === 'isapi') return isapiDoor(c, ctx.readSecret, keyPath);
      return relayDoor({ adapter: 'relay', url: `${devices!.url}/relay/${id}/pulse`, method: 'POST', timeoutMs: 2000 }, ctx.readSecret, keyPath);
    };
    const n = settings.notifier;
    const notifier: Notifier = n.adapter === 'webhook' ? webhookNotifier(n.url, ctx.readSecret(n.secret, 'site.notifier.secret'), n.timeoutMs) : webhookNotifier(`${devices!.url}/hooks/host`, SIM_WEBHOOK_SECRET, 3000);

    const directory = new GateDirectory(store, seals, settings.faceModel);
    await directory.catchUp();
    await directory.prepare();
    const stopFollowing = directory.follow(FOLLOW_MS, (e) => ctx.log(`gate: site store unreachable (${(e as { code?: string }).code ?? 'error'})`));
    const people = new PeopleStore(store, keys, seals);
    const api = settings.partnerApi;
    const visitors = new Visitors({
      store, people, directory, notifier, settings, siteId: ctx.settings.id, passKey: keys.pass, terminalId: ctx.terminalId, audit, log: ctx.log, ...(api?.publicUrl ? { answerBaseUrl: api.publicUrl } : {}),
    });
    const photos = new GatePhotos(store, seals);
    if (sims && settings.demoPeople !== undefined) await seedDemoFactory({ store, people, visitors, photos, directory, settings, demo: sims, now: clock() });

    const door = settings.door !== undefined
      ? doorService({
        store, directory, door: doorOf(settings.door), settings, doorId: settings.door, terminalId: ctx.terminalId, clock, audit, log: ctx.log,
        captures: { photos, days: ctx.personalDataDays }, alarmNotice: (notice) => notifier.notify(notice), visitorLeft: (v) => visitors.checkOut(v),
      })
      : undefined;
    const partnerApi = api
      ? await startPartnerApi({
          host: api.host, port: api.port, requestsPerMinute: api.requestsPerMinute,
          certPem: ctx.readSecret(api.tls.cert, 'site.partnerApi.tls.cert'), keyPem: ctx.readSecret(api.tls.key, 'site.partnerApi.tls.key'), token: ctx.readSecret(api.token, 'site.partnerApi.token'),
          visitors, directory, clock, log: ctx.log,
          audit: (action, detail) => void ctx.audit.append({ actor: 'partner-api', action, detail }),
        }).catch(async (e: unknown) => {
          // Nothing of this wiring outlives a failed start.
          stopFollowing();
          await devices?.close();
          if (own) await store.close().then(() => own.close());
          throw e;
        })
      : undefined;
    const retention = startRetention({ store, people, photos, settings, personalDataDays: ctx.personalDataDays, clock, audit, log: ctx.log });
    const ticker = startTicks(settings, store, visitors, clock, ctx.log);
    let board: GateBoard | undefined;
    const refreshBoard = () => readBoard(store, directory, settings, clock()).then((b) => void (board = b), (e) => ctx.log(`gate: board not refreshed (${(e as { code?: string }).code ?? 'error'})`));
    await refreshBoard();
    const boardTimer = setInterval(() => void refreshBoard(), BOARD_MS);
    boardTimer.unref();

    const flow = () => {
      if (settings.role === 'door') return doorFlow(settings, settings.door!, door!, people, directory);
      if (settings.role === 'enrolment') return enrolmentFlow(settings, people, directory, clock);
      return receptionFlow({ settings, siteName: ctx.settings.name, visitors, people, directory, paper: ctx.printing.paper, print: (doc) => ctx.printing.print(doc), clock });
    };
    /** A visitor pass at the door: signed by this site, within its window, and its visit still on; the journey then matches the face 1:1. */
    const identifyCode = async (code: string): Promise<CodeIdentity> => {
      const checked = verifyPass(keys.pass, code, ctx.settings.id, clock());
      if (!checked.ok) return { known: false, reason: checked.problem };
      const visit = directory.invitations.get(checked.pass.invitation);
      if (!visit || visit.visitor !== checked.pass.visitor || visit.status !== 'arrived') return { known: false, reason: 'PASS_NOT_ACTIVE' };
      const references = (await people.references(checked.pass.visitor)).filter((r) => r.model === settings.faceModel);
      if (references.length === 0) return { known: false, reason: 'PASS_NO_FACE' };
      return { known: true, subject: { id: checked.pass.visitor, references } };
    };
    /**
     * The door's faces for identification by face alone: every face is screened against the
     * blocklist first (a hit raises the alarm and matches no one); two people too close to tell
     * apart match no one either.
     */
    const threshold = settings.identify[settings.faceModel];
    const faceGallery: FaceGallery = {
      model: settings.faceModel,
      matchThreshold: threshold,
      async search(live, limit, frame) {
        if (await door!.screen(live, frame)) return [];
        const hits = await directory.searchPeople(live, Math.max(limit, 2));
        const [first, second] = hits;
        if (first && second && second.score >= threshold && first.score - second.score < settings.identify.margin) return [];
        return hits.slice(0, limit).map((h) => ({ subjectId: h.key, score: h.score }));
      },
    };
    return {
      flow,
      ...(settings.role === 'door' ? { identifyCode, ...(settings.identify.faceOnly ? { faceGallery } : {}) } : {}),
      ...(devices ? { simulators: { devicesUrl: devices.url } } : {}),
      staffActions: gateStaffActions({ settings, siteId: ctx.settings.id, terminalId: ctx.terminalId, store, directory, people, visitors, seals, photos, keys, clock, audit, embedPicture: (image) => ctx.embedPicture(image) }),
      retention,
      maintenance: () => ({ site: board ?? { kind: 'gate', role: settings.role, people: directory.people.size, templates: directory.templates } }),
      async close() {
        await partnerApi?.close();
        clearInterval(ticker);
        clearInterval(boardTimer);
        retention.stop();
        stopFollowing();
        // The host's store is the host's to close; a file of our own is ours.
        if (own) {
          await store.close();
          own.close();
        }
        await devices?.close();
      },
    };
  },
});

/** How long after an area's reset time a station still makes the reset (later it would clear people who came in since). */
const RESET_WINDOW_MINUTES = 15;

/**
 * Every half minute: forget an area's presence at its daily reset time (once per day for the whole
 * site: the first station to write the day's reset record does it), and end the windows of visitors
 * whose time is over.
 */
function startTicks(settings: GateSettings, store: SiteStore, visitors: Visitors, clock: () => Date, log: (line: string) => void): NodeJS.Timeout {
  const tick = async () => {
    const now = clock();
    const t = localTime(now, settings.timeZone);
    for (const area of settings.areas) {
      if (area.resetDailyAt === undefined) continue;
      const late = t.minute - minuteOfDay(area.resetDailyAt);
      if (late < 0 || late > RESET_WINDOW_MINUTES) continue;
      const last = await store.get<{ day: string }>(RESET_COLLECTION, area.id);
      if (last && !last.deleted && last.body?.day === t.day) continue;
      try {
        await store.put(RESET_COLLECTION, area.id, { day: t.day }, { ifVersion: last && !last.deleted ? last.version : 0 });
      } catch {
        continue; // another station made today's reset
      }
      log(`gate: anti-passback reset of ${area.id}: ${await store.resetArea(area.id)} cleared`);
    }
    await visitors.endWindows(now);
  };
  const timer = setInterval(() => void tick().catch((e) => log(`gate: timer (${(e as { code?: string }).code ?? 'error'})`)), TICK_MS);
  timer.unref();
  return timer;
}
