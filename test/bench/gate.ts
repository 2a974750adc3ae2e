/**
 * Gate benchmark: `npm run bench:gate`. Prints medians beside the issue's targets:
 * - 1:N search over 5,000 and 100,000 templates, 8-bit (the gallery) against float32 (an
 *   onnxruntime MatMul, the search before it), one core;
 * - 8-bit against float32 on the evaluation set (app/core/face/evaluation.ts topMatchAgreement): the
 *   fixture faces' real embeddings among look-alike templates made from them, same top match and the
 *   largest difference in the top score;
 * - walk-up face → door command with 5,000 enrolled: decode, detect, landmarks, embed, 1:N, policy,
 *   the site store's passage (SQLite file, synchronous=FULL) and the relay command over HTTP;
 * - detection on the demo walk stream (640×480), frames per second on one core;
 * - 1,000,000 logged events: a month's attendance report and a person's history.
 * Wall times include waiting for a core when other processes compete; CPU times are this process's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { faceConfig, type ModelSetName } from '../../app/core/face/config.ts';
import { topMatchAgreement } from '../../app/core/face/evaluation.ts';
import { cosine } from '../../app/core/face/policy.ts';
import { unit } from '../../app/core/face/quantise.ts';
import { QuantisedGallery } from '../../app/platform/face-index/quantised-gallery.ts';
import { decodeImage } from '../../app/platform/image/decode.ts';
import { FaceService } from '../../app/platform/models/face-service.ts';
import { missingModels, readManifest } from '../../app/platform/models/provision.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { gateConfig } from '../../app/sites/gate/common/config.ts';
import { deriveSiteKeys } from '../../app/sites/gate/common/identity.ts';
import { COLLECTIONS, EVENT_KINDS } from '../../app/sites/gate/common/records.ts';
import { attendanceCollection, monthAttendance } from '../../app/sites/gate/node/attendance.ts';
import { attendanceReport, history as historyPage } from '../../app/sites/gate/node/reports.ts';
import { GateDirectory } from '../../app/sites/gate/node/directory.ts';
import { doorService } from '../../app/sites/gate/node/door-service.ts';
import { relayDoor } from '../../app/sites/gate/node/doors.ts';
import { PeopleStore } from '../../app/sites/gate/node/people.ts';
import { GateSeals } from '../../app/sites/gate/node/seals.ts';
import { randomTemplate, syntheticWorkers } from '../../app/sites/gate/sim/demo-factory.ts';
import { startDevicesSim } from '../../app/sites/gate/sim/devices-sim.ts';
import { DEMO_WALKERS, walk } from '../../app/sites/gate/sim/walk-stream.ts';

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f = (v: number, d = 2) => v.toFixed(d);
const verdict = (value: number, target: number) => (value <= target ? 'meets' : 'MISSES');

/** Wall and CPU medians of `runs` calls of `fn` after `warm` warm-up calls. */
async function time(fn: (i: number) => Promise<unknown>, runs: number, warm = 3): Promise<{ wall: number; cpu: number }> {
  for (let i = 0; i < warm; i++) await fn(i);
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn(i);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The float32 search as it was: scores = templates · query in one onnxruntime MatMul, one thread. */
async function float32Search(): Promise<(m: Float32Array, n: number, dim: number, q: Float32Array) => Promise<Float32Array>> {
  const { onnx } = onnxProto;
  const t = (name: string, dims: (number | string)[]) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } });
  const model = onnx.ModelProto.create({
    irVersion: 8, producerName: 'bench', opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'f32', node: [{ opType: 'MatMul', input: ['m', 'q'], output: ['s'] }], input: [t('m', ['N', 'D']), t('q', ['D', 1])], output: [t('s', ['N', 1])] },
  });
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const tensors = new Map<Float32Array, ort.Tensor>();
  return async (m, n, dim, q) => {
    let tm = tensors.get(m);
    if (!tm) tensors.set(m, (tm = new ort.Tensor('float32', m, [n, dim])));
    return (await session.run({ m: tm, q: new ort.Tensor('float32', q, [dim, 1]) })).s!.data as Float32Array;
  };
}

async function searchSpeed(): Promise<void> {
  // 100 warm-up searches: the top-k pass runs unoptimised until V8 has seen it ~50 times (0.2 ms more at 5,000).
  console.log('\n1:N search, top 5, one core (n=30 after 100 warm-up)          8-bit gallery          float32 MatMul         target');
  const f32 = await float32Search();
  const changes: string[] = [];
  for (const dim of [128, 512]) {
    for (const n of [5_000, 100_000]) {
      const next = rng(dim + n);
      const m = new Float32Array(n * dim);
      const gallery = new QuantisedGallery(dim);
      for (let r = 0; r < n; r++) {
        const v = randomTemplate(dim, next);
        m.set(v, r * dim);
        gallery.put(`p${r}`, 'chip', v);
      }
      const q = m.slice(777 * dim, 778 * dim);
      const probe = async () => {
        const [top] = await gallery.search(q, 5);
        if (top!.key !== 'p777') throw new Error('the 8-bit search lost the probe');
      };
      const packing = await time(probe, 1, 0);
      const int8 = await time(probe, 30, 100);
      const fp = await time(() => f32(m, n, dim, q), 30, 10);
      const target = n <= 5_000 ? 1 : 3;
      console.log(
        `  ${String(n).padStart(7)} × ${String(dim).padStart(3)}-d (${(n * dim / 2 ** 20).toFixed(1).padStart(5)} MiB 8-bit) ${f(int8.wall).padStart(7)} ms wall ${f(int8.cpu).padStart(6)} CPU   ${f(fp.wall).padStart(7)} ms ${f(fp.cpu).padStart(6)} CPU   ≤ ${target} ms: ${verdict(int8.cpu, target)}${dim === 512 ? ' (512-d: faceplugin, not the default)' : ''}`,
      );
      // After enrolments: the changed templates are searched unpacked beside the packing until 2,048 have changed.
      const after: string[] = [];
      for (const [from, to] of [[0, 1], [1, 2_000]] as const) {
        for (let r = from; r < to; r++) gallery.put(`p${r}`, 'live', randomTemplate(dim, next));
        after.push(`${to} changed ${f((await time(probe, 30, 100)).cpu)} ms`);
      }
      changes.push(`  ${String(n).padStart(7)} × ${String(dim).padStart(3)}-d: packing (the first search) ${f(packing.wall, 0)} ms wall; then a search with ${after.join(', with ')} CPU (target ≤ ${target} ms)`);
    }
  }
  console.log(`after a change (changed templates are searched unpacked beside the packing), one core\n${changes.join('\n')}`);
}

/** Real embeddings of the evaluation photos, among look-alike templates built from them (cosine ≈ 0.9 to their source). */
async function agreement(modelSet: ModelSetName): Promise<void> {
  const svc = await FaceService.create(faceConfig.parse({ modelSet }));
  const root = join(import.meta.dirname, '..', 'fixtures', 'faces', 'persons');
  const refs: { key: string; v: Float32Array }[] = [];
  const probes: { person: string; v: Float32Array }[] = [];
  for (const person of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, person)).sort()) {
      const v = await svc.chipEmbedding(new Uint8Array(readFileSync(join(root, person, file))));
      if (file.startsWith('chip')) refs.push({ key: person, v: unit(v) });
      else probes.push({ person, v });
    }
  }
  const dim = refs[0]!.v.length;
  // Look-alikes of the enrolled faces at the scores where 1:N decides between people: cosine c to a
  // real chip template, c spread over the model's impostor-to-threshold range.
  const [lo, hi] = modelSet === 'clean' ? [0.8, 0.95] : [0.3, 0.6];
  for (const n of [5_000, 100_000]) {
    const next = rng(n + dim);
    const gallery = new QuantisedGallery(dim);
    const exact: { key: string; v: Float32Array }[] = [...refs];
    for (const r of refs) gallery.put(r.key, 'chip', r.v);
    for (let i = exact.length; i < n; i++) {
      const base = refs[Math.floor(next() * refs.length)]!.v;
      const z = randomTemplate(dim, next);
      const along = z.reduce((a, x, j) => a + x * base[j]!, 0);
      const ortho = unit(Float32Array.from(z, (x, j) => x - along * base[j]!));
      const c = lo + (hi - lo) * next();
      const v = Float32Array.from(base, (x, j) => c * x + Math.sqrt(1 - c * c) * ortho[j]!);
      exact.push({ key: `look-alike-${i}`, v });
      gallery.put(`look-alike-${i}`, 'chip', v);
    }
    const pairs = [];
    let nearest = 0;
    for (const p of probes) {
      let best = { key: '', score: -2 };
      for (const e of exact) {
        const s = cosine(e.v, p.v);
        if (s > best.score) best = { key: e.key, score: s };
      }
      const [approx] = await gallery.search(p.v, 1);
      pairs.push({ exact: best, approx: approx! });
      nearest += best.score;
    }
    const a = topMatchAgreement(pairs);
    console.log(`  ${modelSet.padEnd(10)} ${String(n).padStart(7)} templates: same top match ${a.sameTop}/${a.queries}, largest top-score difference ${a.maxScoreDelta.toFixed(5)} (target ≤ 0.005: ${verdict(a.maxScoreDelta, 0.005)}); mean top score ${(nearest / probes.length).toFixed(3)}`);
  }
}

async function walkUp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gate-'));
  const sim = await startDevicesSim();
  try {
    const db = openDatabase(join(dir, 'site.db'));
    const store = new SqliteSiteStore(db);
    const keys = deriveSiteKeys(Buffer.alloc(32, 1));
    const seals = new GateSeals(keys.seal);
    const svc = await FaceService.create(faceConfig.parse({ quality: { minFaceWidthPx: 60 } }));
    const frames = (await walk(DEMO_WALKERS.worker)).slice(1); // the first is farther than the door's 60 px gate
    const worker = await svc.chipEmbedding(DEMO_WALKERS.worker.photo);
    const settings = gateConfig.parse({
      role: 'door', gateName: 'Bench', siteKey: { file: 'x' }, door: 'in',
      areas: [{ id: 'site', name: 'Site', antiPassback: 'hard' }],
      doors: [{ id: 'in', name: 'In', area: 'site', direction: 'in', controller: { adapter: 'sim' } }],
    });
    const people = new PeopleStore(store, keys, seals);
    await store.put(COLLECTIONS.group, 'all', { name: 'All', doors: ['in'] });
    db.pragma('synchronous = OFF'); // setup only: 5,000 enrolments
    const workers = syntheticWorkers(4_999, worker.length);
    for (const w of workers) await people.enrol({ kind: 'worker', holder: w.holder, group: 'all', face: { model: 'clean', ...w.face } }, new Date());
    const { key: walker } = await people.enrol({ kind: 'worker', holder: { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' }, group: 'all', face: { model: 'clean', chip: worker } }, new Date());
    db.pragma('synchronous = FULL');
    const directory = new GateDirectory(store, seals, 'clean');
    await directory.catchUp();
    const door = doorService({
      store, directory, settings, doorId: 'in', terminalId: 'BENCH', clock: () => new Date(), audit: () => undefined, log: () => undefined,
      door: relayDoor({ adapter: 'relay', url: `${sim.url}/relay/in/pulse`, method: 'POST', timeoutMs: 2000 }, () => '', 'k'),
    });
    const threshold = settings.identify.clean;
    const stages: Record<string, number[]> = { decode: [], face: [], search: [], door: [] };
    const t = await time(async (i) => {
      await store.resetArea('site'); // each walk-up is a new entry (outside the measured stages below? no: it is fast and counted)
      const t0 = performance.now();
      const img = await decodeImage(frames[i % frames.length]!);
      const t1 = performance.now();
      const a = await svc.analyze(img);
      const t2 = performance.now();
      const [hit] = await directory.searchPeople(a.embedding!, 2);
      const t3 = performance.now();
      if (!hit || hit.key !== walker || hit.score < threshold) throw new Error(`walk-up not recognised (${hit?.score.toFixed(3)})`);
      const outcome = await door.pass({ method: 'face', person: hit.key, face: a.embedding!, score: hit.score });
      const t4 = performance.now();
      if (!outcome.opened) throw new Error(`door refused: ${outcome.reason}`);
      stages.decode!.push(t1 - t0); stages.face!.push(t2 - t1); stages.search!.push(t3 - t2); stages.door!.push(t4 - t3);
    }, 20, 2);
    console.log(`\nwalk-up face → door command, ${directory.people.size} enrolled (${directory.templates.people} templates), 640×480 frames of the demo walk, n=20`);
    console.log(`  median ${f(t.wall, 1)} ms wall, ${f(t.cpu, 1)} ms CPU (target ≤ 300 ms: ${verdict(t.wall, 300)}); stages: decode ${f(median(stages.decode!), 1)}, detect+landmarks+embed ${f(median(stages.face!), 1)}, 1:N ${f(median(stages.search!), 2)}, blocklist+policy+passage+relay HTTP+settle+attendance ${f(median(stages.door!), 1)} ms; door commands recorded by the relay simulator: ${sim.commands.length}`);
    await store.close();
    db.close();
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function detectionFps(): Promise<void> {
  const svc = await FaceService.create(faceConfig.parse({ quality: { minFaceWidthPx: 60 } }));
  const frames = [...(await walk(DEMO_WALKERS.worker)), ...(await walk(DEMO_WALKERS.blocked))];
  const decoded = await Promise.all(frames.map((fr) => decodeImage(fr)));
  const detect = await time((i) => svc.engine.detect(decoded[i % decoded.length]!), 40);
  const both = await time(async (i) => svc.engine.detect(await decodeImage(frames[i % frames.length]!)), 40);
  const full = await time((i) => svc.analyze(decoded[i % decoded.length]!), 40);
  console.log(`\ndetection on the demo walk stream (640×480 JPEG), one onnxruntime thread, n=40`);
  console.log(`  detect ${f(detect.wall, 1)} ms → ${f(1000 / detect.wall, 1)} frames/s wall (${f(1000 / detect.cpu, 1)} by CPU); decode+detect ${f(1000 / both.wall, 1)} frames/s; full analysis (detect, landmarks, quality, embed) ${f(1000 / full.wall, 1)} frames/s; target ≥ 10 frames/s detection: ${1000 / detect.wall >= 10 ? 'meets' : 'MISSES'}`);
}

async function millionEvents(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gate-events-'));
  try {
    const db = openDatabase(join(dir, 'site.db'));
    const store = new SqliteSiteStore(db);
    const people = 5_000, days = 100;
    const start = Date.parse('2025-04-01T00:00:00+07:00');
    db.pragma('synchronous = OFF'); // setup only
    const insert = db.prepare('INSERT INTO site_events (key, kind, at, terminal_id, subject, data) VALUES (?, ?, ?, ?, ?, ?)');
    const t0 = performance.now();
    db.transaction(() => {
      let k = 0;
      for (let d = 0; d < days; d++) {
        for (let p = 0; p < people; p++) {
          const inAt = start + d * 86_400_000 + (7 * 60 + (p % 50)) * 60_000;
          const outAt = inAt + (9 * 60 + (p % 37)) * 60_000;
          const data = (direction: string) => JSON.stringify({ door: direction === 'in' ? 'gate-in' : 'gate-out', area: 'site', outer: true, direction, method: 'face', decision: 'opened' });
          insert.run(`B:${k++}`, EVENT_KINDS.access, new Date(inAt).toISOString(), 'GATE-A', `W-${p}`, data('in'));
          insert.run(`B:${k++}`, EVENT_KINDS.access, new Date(outAt).toISOString(), 'GATE-B', `W-${p}`, data('out'));
        }
      }
    })();
    const loadMs = performance.now() - t0;
    // June's attendance records, as the doors would have kept them (one per person, ~21 days each).
    const june = attendanceCollection('2025-06');
    for (let p = 0; p < people; p++) {
      const firstIn: (number | null)[] = Array.from({ length: 31 }, () => null);
      const lastOut = [...firstIn];
      for (let d = 1; d <= 30; d++) {
        if (new Date(Date.UTC(2025, 5, d)).getUTCDay() === 0) continue;
        const inAt = Date.parse(`2025-06-${String(d).padStart(2, '0')}T07:00:00+07:00`) / 60_000 + (p % 50);
        firstIn[d - 1] = inAt;
        lastOut[d - 1] = inAt + 9 * 60 + (p % 37);
      }
      await store.put(june, `W-${p}`, { person: `W-${p}`, month: '2025-06', firstIn, lastOut });
    }
    db.pragma('synchronous = FULL');
    const count = (db.prepare('SELECT count(*) AS n FROM site_events').get() as { n: number }).n;
    let lines = 0, personDays = 0;
    const report = await time(async () => {
      const sheet = await monthAttendance(store, '2025-06', 'Asia/Ho_Chi_Minh');
      lines = sheet.length;
      personDays = sheet.reduce((a, l) => a + l.days, 0);
    }, 10, 2);
    let found = 0;
    const history = await time(async (i) => {
      found = (await store.events({ subject: `W-${(i * 37) % people}`, kind: EVENT_KINDS.access, from: '2025-05-01T00:00:00Z', to: '2025-07-01T00:00:00Z', limit: 1000 })).length;
    }, 30, 3);
    // The same through the guard's staff actions (./app/sites/gate/node/reports.ts): the timesheet as
    // rows with names, sorted; the history found by a person's employee number.
    const directory = { people: new Map(Array.from({ length: people }, (_, p) => [`W-${p}`, { kind: 'worker', name: `Công nhân ${p}`, employeeNo: `NV${p}`, department: 'Lắp ráp', group: 'g', active: true }])), blocklist: new Map() };
    const deps = { store, directory: directory as unknown as GateDirectory, settings: gateConfig.parse({ role: 'door', gateName: 'G', siteKey: { file: 'x' }, door: 'gate-in', areas: [{ id: 'site', name: 'S' }], doors: [{ id: 'gate-in', name: 'In', area: 'site', direction: 'in', controller: { adapter: 'sim' } }] }), clock: () => new Date('2025-07-01T00:00:00Z') };
    let rows = 0;
    // The screen's page (1,000 rows, all counted), and every row (what the CSV export is made from).
    const reportAction = await time(async () => {
      rows = (await attendanceReport(deps, { from: '2025-06-01', to: '2025-06-30' }, 1000)).total;
    }, 10, 2);
    const reportAll = await time(async () => {
      await attendanceReport(deps, { from: '2025-06-01', to: '2025-06-30' });
    }, 5, 1);
    const historyAction = await time(async (i) => {
      found = (await historyPage(deps, { person: `NV${(i * 37) % people}`, from: '2025-05-01', to: '2025-06-30', limit: 50 })).rows.length;
    }, 30, 3);
    console.log(`\n${count.toLocaleString('en')} logged events (${people} people × ${days} days, loaded in ${f(loadMs / 1000, 1)} s), SQLite file, synchronous=FULL`);
    console.log(`  month attendance report (June timesheet: ${lines.toLocaleString('en')} people, ${personDays.toLocaleString('en')} person-days with first in, last out, hours): median ${f(report.wall, 1)} ms wall, ${f(report.cpu, 1)} ms CPU (target ≤ 200 ms: ${verdict(report.wall, 200)})`);
    console.log(`  history by person (two months, ${found} events): median ${f(history.wall, 2)} ms wall (target ≤ 200 ms: ${verdict(history.wall, 200)})`);
    console.log(`  staff action "attendance" (June, ${rows.toLocaleString('en')} rows with names by day and name, the screen's first 1,000 made): median ${f(reportAction.wall, 1)} ms wall, ${f(reportAction.cpu, 1)} ms CPU (target ≤ 200 ms: ${verdict(reportAction.wall, 200)}); every row made (the CSV's): ${f(reportAll.wall, 1)} ms wall, ${f(reportAll.cpu, 1)} ms CPU`);
    console.log(`  staff action "history" by employee number (two months, a page of ${found}): median ${f(historyAction.wall, 2)} ms wall (target ≤ 200 ms: ${verdict(historyAction.wall, 200)})`);
    await store.close();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench:gate — load average ${loadavg().map((v) => v.toFixed(1)).join(' ')} on ${cpus().length} cores; medians`);
// BENCH_GATE_ONLY=events: only the event log's reports (the face parts take minutes);
// BENCH_GATE_ONLY=search: only the 1:N search speeds; BENCH_GATE_ONLY=agreement: only 8-bit vs float32.
const only = process.env.BENCH_GATE_ONLY;
const parts = ['events', 'search', 'agreement'];
if (only !== undefined && !parts.includes(only)) throw new Error(`BENCH_GATE_ONLY is one of ${parts.join(', ')}, not "${only}"`);
if (only === undefined || only === 'search') await searchSpeed();
const missing = missingModels(readManifest());
if (only === 'search' || only === 'events') {
  // the other parts skipped on request
} else if (missing.length) {
  console.log(`\nface models missing (${missing.join(', ')}): run \`node models/provision.mjs\`; skipping the face parts`);
} else {
  console.log('\n8-bit vs float32 on the evaluation set (fixture faces among look-alikes), top match per live photo');
  await agreement('clean');
  await agreement('faceplugin');
  if (only === undefined) {
    await walkUp();
    await detectionFps();
  }
}
if (only === undefined || only === 'events') await millionEvents();
