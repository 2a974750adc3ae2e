/**
 * Fills a site store with the demo factory (./demo-wiring.ts) where it lacks it: plans, groups,
 * holidays, synthetic workers, the demo card's worker with a real face, a face on the blocklist,
 * a host, and an open invitation for the demo visitor card. Each item is written only when absent,
 * so a restart keeps what staff changed and renews only what ran out (the invitation).
 */
import { readFileSync } from 'node:fs';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import type { GateSettings } from '../common/config.ts';
import { COLLECTIONS, type BlocklistRecord } from '../common/records.ts';
import type * as Demo from './demo-wiring.ts';
import type { GateDirectory } from './directory.ts';
import type { PeopleStore } from './people.ts';
import { photoKey, type GatePhotos } from './photos.ts';
import type { Visitors } from './visitors.ts';

export interface SeedDeps {
  readonly store: SiteStore;
  readonly people: PeopleStore;
  readonly visitors: Visitors;
  readonly photos: GatePhotos;
  readonly directory: GateDirectory;
  readonly settings: GateSettings;
  readonly demo: typeof Demo;
  readonly now: Date;
}

export const DEMO_HOST_EMPLOYEE_NO = 'NV00001';

export async function seedDemoFactory(d: SeedDeps): Promise<{ added: number }> {
  const { store, settings, demo, now } = d;
  let added = 0;
  const ensure = async (collection: string, key: string, body: unknown) => {
    if (await store.get(collection, key)) return;
    await store.put(collection, key, body, { ifVersion: 0 });
    added++;
  };
  for (const [key, plan] of Object.entries(demo.DEMO_PLANS)) await ensure(COLLECTIONS.plan, key, plan);
  for (const [date, name] of Object.entries(demo.DEMO_HOLIDAYS)) await ensure(COLLECTIONS.holiday, date, { name });
  const outer = settings.doors.filter((x) => settings.areas.find((a) => a.id === x.area)?.parent === undefined).map((x) => x.id);
  const inner = settings.doors.filter((x) => !outer.includes(x.id));
  const office = inner.filter((x) => /office|van-phong/.test(x.id)).map((x) => x.id);
  const groups = demo.demoGroups({ outer, workshop: inner.map((x) => x.id).filter((id) => !office.includes(id)), office });
  for (const [key, group] of Object.entries(groups)) await ensure(COLLECTIONS.group, key, group);

  await d.directory.catchUp();
  if (d.directory.people.size === 0) {
    const faces = await demo.demoFaces(settings.faceModel);
    const host = { holder: { idNumber: '074085000001', fullName: 'Phạm Thị Hồng Nhung', dateOfBirth: '1985-06-12', sex: 'F', placeOfResidence: 'Phường Phú Cường, Thành phố Thủ Dầu Một, Tỉnh Bình Dương' } };
    await d.people.enrol({ kind: 'worker', holder: host.holder, employeeNo: DEMO_HOST_EMPLOYEE_NO, department: 'Văn phòng', group: 'van-phong', face: { model: settings.faceModel, chip: demo.syntheticWorkers(1, faces.dim, 99)[0]!.face.chip! } }, now);
    await d.people.enrol({ kind: 'worker', holder: demo.DEMO_CARD_WORKER, employeeNo: 'NV00002', department: 'Bảo vệ', group: 'bao-ve', face: { model: settings.faceModel, chip: faces.worker }, consentAt: now.toISOString() }, now);
    for (const w of demo.syntheticWorkers(settings.demoPeople ?? 300, faces.dim)) {
      await d.people.enrol({ kind: 'worker', holder: w.holder, employeeNo: w.employeeNo, department: w.department, group: w.group, face: { model: settings.faceModel, ...w.face }, consentAt: now.toISOString() }, now);
      added++;
    }
    const entry: BlocklistRecord = { name: 'Người bị hạn chế (demo)', reason: 'Đã bị cấm vào khu vực nhà máy', addedBy: 'demo', addedAt: now.toISOString() };
    await store.put(COLLECTIONS.blocklist, 'B-DEMO-1', entry);
    await d.people.setFace('B-DEMO-1', 'blocklist', { model: settings.faceModel, chip: faces.blocked }, now);
    added += 3;
  }
  await d.directory.catchUp();
  // The blocklist entry's picture, which the guard sees beside an alarm.
  if (d.directory.blocklist.has('B-DEMO-1') && !(await d.photos.get(photoKey.blocklist('B-DEMO-1')))) {
    await d.photos.put(photoKey.blocklist('B-DEMO-1'), new Uint8Array(readFileSync(demo.BLOCKLIST_PHOTO_PATH)), now);
    added++;
  }
  if (!d.visitors.invitationFor(demo.DEMO_CARD_VISITOR.idNumber, now)) {
    const host = [...d.directory.people.entries()].find(([, p]) => p.employeeNo === DEMO_HOST_EMPLOYEE_NO);
    if (host) {
      await d.visitors.invite(
        { idNumber: demo.DEMO_CARD_VISITOR.idNumber, name: demo.DEMO_CARD_VISITOR.name, host: host[0], purpose: 'Họp với phòng kinh doanh', plate: '51F-123.45', from: now.toISOString(), until: new Date(now.getTime() + 7 * 86_400_000 - 60_000).toISOString() },
        'demo',
        now,
      );
      added++;
    }
  }
  return { added };
}
