/**
 * A demo factory: week plans, access groups, Vietnam's public holidays, a few hundred synthetic
 * workers (Vietnamese names with diacritics, synthetic ID numbers, departments, shifts), the demo
 * card's holder (Nguyễn Văn An) enrolled with the face of the demo persona's photo, a face on the
 * blocklist, and an invited visitor (Trần Thị Bích Ngọc, the second demo card). Deterministic for a
 * seed. Synthetic people's templates are random unit vectors: they fill the 1:N gallery to size and
 * match no real face (random 128-d vectors have cosines near 0, far below any threshold).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { centurySexDigit } from '../../../core/cccd/id-number.ts';
import { defaultFaceConfig, faceConfig } from '../../../core/face/config.ts';
import type { Holder } from '../../../core/journey/ports.ts';
import { FaceService } from '../../../platform/models/face-service.ts';
import { PORTRAIT_JPEG_PATH } from '../../../sim/personas/portraits.ts';
import type { AccessGroupRecord } from '../common/records.ts';
import type { WeekPlan } from '../common/schedule.ts';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thanh', 'Công'];
const MIDDLE_F = ['Thị', 'Ngọc', 'Thanh', 'Thu', 'Mỹ', 'Bích', 'Hồng'];
const GIVEN_M = ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hiếu', 'Khánh', 'Long', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Tuấn', 'Thắng', 'Việt', 'Đạt'];
const GIVEN_F = ['Hà', 'Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'Nga', 'Quyên', 'Tâm', 'Thảo', 'Trang', 'Vy', 'Yến', 'Ánh', 'Diệp', 'Nhung'];
const PROVINCES = [
  ['074', 'Phường Phú Cường, Thành phố Thủ Dầu Một, Tỉnh Bình Dương'], ['079', 'Phường 7, Quận 3, Thành phố Hồ Chí Minh'], ['075', 'Phường Tân Phong, Thành phố Biên Hòa, Tỉnh Đồng Nai'],
  ['038', 'Xã Quảng Hòa, Huyện Quảng Xương, Tỉnh Thanh Hóa'], ['040', 'Xã Diễn Kim, Huyện Diễn Châu, Tỉnh Nghệ An'], ['052', 'Phường Nhơn Bình, Thành phố Quy Nhơn, Tỉnh Bình Định'],
  ['087', 'Xã Mỹ Hiệp, Huyện Cao Lãnh, Tỉnh Đồng Tháp'], ['001', 'Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội'], ['066', 'Phường Tân Lợi, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk'],
] as const;
const DEPARTMENTS = ['Lắp ráp', 'Kho vận', 'Kiểm tra chất lượng', 'Bảo trì', 'Văn phòng', 'Bảo vệ'] as const;

const day = (from: string, to: string) => [`${from}-${to}`];
export const DEMO_PLANS: Record<string, WeekPlan> = {
  'ca-ngay': { name: 'Ca ngày 06:00–19:00', mon: day('06:00', '19:00'), tue: day('06:00', '19:00'), wed: day('06:00', '19:00'), thu: day('06:00', '19:00'), fri: day('06:00', '19:00'), sat: day('06:00', '13:00'), sun: [], holiday: [] },
  'ca-dem': {
    name: 'Ca đêm 18:00–07:00', mon: ['18:00-24:00'], tue: ['00:00-07:00', '18:00-24:00'], wed: ['00:00-07:00', '18:00-24:00'], thu: ['00:00-07:00', '18:00-24:00'], fri: ['00:00-07:00', '18:00-24:00'],
    sat: ['00:00-07:00'], sun: [], holiday: [],
  },
  'hanh-chinh': { name: 'Hành chính 07:00–18:00', mon: day('07:00', '18:00'), tue: day('07:00', '18:00'), wed: day('07:00', '18:00'), thu: day('07:00', '18:00'), fri: day('07:00', '18:00'), sat: [], sun: [], holiday: [] },
};

/** Groups by door id: what each group may pass at the demo profiles' doors. */
export function demoGroups(doors: { outer: string[]; workshop: string[]; office: string[] }): Record<string, AccessGroupRecord> {
  return {
    'ca-ngay': { name: 'Công nhân ca ngày', doors: [...doors.outer, ...doors.workshop], plan: 'ca-ngay' },
    'ca-dem': { name: 'Công nhân ca đêm', doors: [...doors.outer, ...doors.workshop], plan: 'ca-dem' },
    'van-phong': { name: 'Khối văn phòng', doors: [...doors.outer, ...doors.office], plan: 'hanh-chinh' },
    'bao-ve': { name: 'Bảo vệ (24/7)', doors: [...doors.outer, ...doors.workshop, ...doors.office] },
    visitors: { name: 'Khách', doors: [...doors.outer, ...doors.office] },
  };
}

/** Vietnam's public holidays the demo knows (Tết and the national days, 2025–2026). */
export const DEMO_HOLIDAYS: Record<string, string> = {
  '2025-01-01': 'Tết Dương lịch', '2025-01-28': 'Tết Nguyên đán', '2025-01-29': 'Tết Nguyên đán', '2025-01-30': 'Tết Nguyên đán', '2025-01-31': 'Tết Nguyên đán',
  '2025-04-07': 'Giỗ Tổ Hùng Vương', '2025-04-30': 'Ngày Giải phóng', '2025-05-01': 'Quốc tế Lao động', '2025-09-01': 'Quốc khánh', '2025-09-02': 'Quốc khánh',
  '2026-01-01': 'Tết Dương lịch', '2026-02-16': 'Tết Nguyên đán', '2026-02-17': 'Tết Nguyên đán', '2026-02-18': 'Tết Nguyên đán', '2026-02-19': 'Tết Nguyên đán', '2026-02-20': 'Tết Nguyên đán',
  '2026-04-26': 'Giỗ Tổ Hùng Vương', '2026-04-30': 'Ngày Giải phóng', '2026-05-01': 'Quốc tế Lao động', '2026-09-01': 'Quốc khánh', '2026-09-02': 'Quốc khánh',
};

export interface DemoWorker {
  readonly holder: Holder;
  readonly employeeNo: string;
  readonly department: string;
  readonly group: string;
  readonly face: { readonly chip?: Float32Array; readonly live?: Float32Array };
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A random unit vector: a synthetic person's template. */
export function randomTemplate(dim: number, next: () => number): Float32Array {
  const v = Float32Array.from({ length: dim }, () => next() + next() + next() - 1.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** `n` synthetic workers, deterministic for `seed`. */
export function syntheticWorkers(n: number, dim: number, seed = 14): DemoWorker[] {
  const next = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(next() * a.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const sex = next() < 0.55 ? 'M' : 'F';
    const year = 1968 + Math.floor(next() * 38);
    const [code, address] = pick(PROVINCES);
    const serial = String(100_000 + i).padStart(6, '0');
    const idNumber = `${code}${centurySexDigit(year, sex)}${String(year % 100).padStart(2, '0')}${serial}`;
    const name = `${pick(FAMILY)} ${pick(sex === 'M' ? MIDDLE_M : MIDDLE_F)} ${pick(sex === 'M' ? GIVEN_M : GIVEN_F)}`;
    const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const group = department === 'Văn phòng' ? 'van-phong' : department === 'Bảo vệ' ? 'bao-ve' : i % 4 === 0 ? 'ca-dem' : 'ca-ngay';
    const month = 1 + Math.floor(next() * 12), dd = 1 + Math.floor(next() * 28);
    return {
      holder: { idNumber, fullName: name, dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(dd).padStart(2, '0')}`, sex, placeOfResidence: address },
      employeeNo: `NV${String(1001 + i).padStart(5, '0')}`,
      department,
      group,
      face: { chip: randomTemplate(dim, next) },
    };
  });
}

export const BLOCKLIST_PHOTO_PATH = fileURLToPath(new URL('./assets/blocklist-face.jpg', import.meta.url));

/**
 * The demo's real faces, embedded with the site's model: the demo card's persona photo (Nguyễn Văn
 * An, a day-shift worker) and the face the blocklist holds.
 */
export async function demoFaces(modelSet: 'clean' | 'faceplugin', modelsDir?: string): Promise<{ worker: Float32Array; blocked: Float32Array; dim: number }> {
  const service = await FaceService.create(faceConfig.parse({ ...defaultFaceConfig, modelSet }), modelsDir);
  const worker = await service.chipEmbedding(new Uint8Array(readFileSync(PORTRAIT_JPEG_PATH)));
  const blocked = await service.chipEmbedding(new Uint8Array(readFileSync(BLOCKLIST_PHOTO_PATH)));
  return { worker, blocked, dim: worker.length };
}

/** The demo cards' holders as the chip gives them (app/sim/personas). */
export const DEMO_CARD_WORKER: Holder = { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M', placeOfResidence: 'Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội' };
export const DEMO_CARD_VISITOR = { idNumber: '099047000456', name: 'Lê Văn Cường' } as const;
