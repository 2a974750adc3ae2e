/**
 * Kiosk-side time of the airport's steps against dcs-sim over loopback HTTP:
 *   node --import tsx test/bench/airport.ts [runs]
 *
 * - check-in: the site's steps from the booking lookup to the boarding pass printed (rendered,
 *   encoded, written to a file: printer, preview made), with the passenger's own choices taking no
 *   time; without bags, and with one bag resting on the simulated scale (its frames come every
 *   50 ms and three must agree, as a real scale's would). The card read, face match and central
 *   verification before it have their own benches (bench:read, bench:face, bench:rar).
 * - gate: a boarding pass scanned → the decision, the DCS's boarding record and the door's answer,
 *   on a flight of 300 passengers; and split as the pass-and-face path runs it: the pass → its
 *   passenger's face token among the flight's 300, then (the face matched 1:1: bench:face) the
 *   decision, boarding and door.
 * - 1:N: one face searched among the 300 tokens of that flight (512 values each).
 * Prints medians (and p90) with the issue's targets beside them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SiteContext, SiteResult } from '../../app/core/journey/site-flow.ts';
import { bcbpString, PAPER_80 } from '../../app/core/receipts/index.ts';
import { printerConfig } from '../../app/core/receipts/printer-config.ts';
import { createPrinter, renderPreviewPng } from '../../app/platform/printer/index.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { boardingPassOf } from '../../app/sites/airport/common/boarding-pass.ts';
import { createCheckInFlow } from '../../app/sites/airport/common/checkin-flow.ts';
import { airportConfig } from '../../app/sites/airport/common/config.ts';
import { gateService } from '../../app/sites/airport/common/gate-service.ts';
import { flightGallery, searchFlight, templateToBase64 } from '../../app/sites/airport/common/gate.ts';
import type { Flight } from '../../app/sites/airport/common/contract.ts';
import { createAirportBackend } from '../../app/sites/airport/node/airport-backend.ts';
import { siteBoardings } from '../../app/sites/airport/node/site-boardings.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { crowd, demoAirline } from '../../app/sites/airport/sim/demo-airline.ts';
import { startDcsSim, type DcsSim } from '../../app/sites/airport/sim/dcs-sim.ts';

const runs = Number(process.argv[2] ?? 20);

function stats(samples: number[]): { median: number; line: string } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const digits = at(0.5) < 10 ? 3 : 1;
  return { median: at(0.5), line: `median ${at(0.5).toFixed(digits)} ms  p90 ${at(0.9).toFixed(digits)} ms  (n=${s.length})` };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-airport-'));
const db = openDatabase(join(dir, 'kiosk.sqlite'));
const audit = new AuditLog(db);
const printer = createPrinter(printerConfig.parse({ uri: `file:${join(dir, 'out.escpos')}` }), db, audit);

// The demo airline, plus passengers not yet checked in on the open flight, and a full flight of 300 boarding.
const now = new Date();
const base = demoAirline(now);
const boarding = base.flights.boarding!;
const full: Flight = { ...boarding, id: `${boarding.id}-FULL`, number: '247' };
const data = {
  ...base,
  flights: { ...base.flights, full },
  bookings: [...base.bookings, ...crowd('open', 2 * runs + 2, 1, false, 'B'), ...crowd('full', 300, 1, true, 'F')],
};
let sim!: DcsSim;
const settings = airportConfig.parse({ iataCode: 'SGN', dcs: { adapter: 'sim' }, scale: { adapter: 'sim', kg: 14.6 } });
const backend = await createAirportBackend(settings, {
  readSecret: () => '',
  simulators: { startDcsSim: async (o) => (sim = await startDcsSim({ ...o, data })) },
});

const travellers = sim.airline.boardingList(base.flights.open!.id).passengers.filter((p) => p.locator.startsWith('B'));
let next = 0;

/** One passenger's check-in; returns the kiosk's time (every call and the printing). */
async function checkIn(bags: 0 | 1): Promise<number> {
  const entry = travellers[next++]!;
  const person = data.bookings.find((b) => b.locator === entry.locator)!.people[0]!;
  const ctx: SiteContext = {
    holder: { idNumber: person.idNumber!, fullName: person.fullName, dateOfBirth: '1990-01-01', sex: person.sex },
    evidence: { by: 'card', passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', central: 'VERIFIED' },
    language: 'vi',
  };
  const flow = createCheckInFlow({
    dcs: backend.dcs!, scale: backend.scale!, baggage: backend.baggage!, settings, terminalId: 'BENCH', paper: PAPER_80, clock: () => new Date(),
    record: (action, detail) => void audit.append({ actor: 'kiosk', action, detail }),
    print: async (docs) => {
      let previewPng: Uint8Array = new Uint8Array();
      for (const [i, doc] of docs.entries()) {
        const r = await printer.print(doc);
        if (r.state !== 'done') throw new Error(`print job ${r.state}: ${r.code}`);
        if (i === 0) previewPng = printer.preview(r.jobId) ?? (await renderPreviewPng(doc));
      }
      return { previewPng, printed: true };
    },
  });
  const t0 = performance.now();
  const step = async (r: Promise<SiteResult>, expected: string) => {
    const result = await r;
    const got = result.kind === 'view' ? result.view.siteStep : result.kind;
    if (got !== expected) throw new Error(`expected ${expected}, got ${got}: ${JSON.stringify(result).slice(0, 200)}`);
    return result;
  };
  await step(flow.start(ctx), 'passengers');
  await step(flow.act({ choose: 'passengers', include: [] }), 'dangerous-goods');
  await step(flow.act({ choose: 'dangerous-goods', accepted: true }), 'seats');
  await step(flow.act({ choose: 'seats-done' }), 'bags');
  const counted = flow.act({ choose: 'bags', count: bags });
  if (bags === 1) await step(counted, 'weigh').then(() => step(flow.act({ choose: 'weigh' }), 'boarding-pass'));
  else await step(counted, 'boarding-pass');
  // The passes on screen; the passenger's "print" is theirs, the printing the kiosk's.
  const done = await flow.act({ choose: 'print' });
  if (done.kind !== 'done') throw new Error(`not done: ${JSON.stringify(done).slice(0, 200)}`);
  const printed = await done.receipt.print();
  if (!printed.printed) throw new Error('not printed');
  return performance.now() - t0;
}

console.log(`airport, kiosk side against dcs-sim over loopback; ${runs} runs each`);
await checkIn(0); // warm-up: fonts parsed, HTTP connections open
const noBags: number[] = [];
const oneBag: number[] = [];
for (let i = 0; i < runs; i++) {
  noBags.push(await checkIn(0));
  oneBag.push(await checkIn(1));
}

// The gate at gate 14, during boarding of the full flight.
const gate = gateService({
  boardings: siteBoardings(new SqliteSiteStore(db), 'BENCH'), whenSiteOffline: 'closed',
  dcs: backend.dcs!, door: backend.door!, tokens: backend.tokens!, record: (action, detail) => void audit.append({ actor: 'kiosk', action, detail }),
  settings: { role: 'boarding-gate', airport: 'SGN', gate: '14', gateClosesMinutesBefore: 20, securityOpensMinutesBefore: 240 },
  clock: () => new Date(Date.parse(full.boardingTime) + 60_000),
});
const list = sim.airline.boardingList(full.id).passengers;
const passOf = async (p: (typeof list)[number]) => {
  const issued = await backend.dcs!.issue({ locator: p.locator, passengerIds: [p.passengerId], terminalId: 'BENCH' });
  return bcbpString(boardingPassOf(issued.booking, p.passengerId, issued.issuedAt));
};
const passes = await Promise.all(list.slice(0, runs + 1).map(passOf));
const gateTimes: number[] = [];
for (const [i, pass] of passes.entries()) {
  const t0 = performance.now();
  const outcome = await gate.byBoardingPass(pass);
  if (!outcome.open) throw new Error(`gate refused: ${outcome.code}`);
  if (i > 0) gateTimes.push(performance.now() - t0);
}

// The pass and face path: a scanned pass → its passenger's face token on that flight (the reference
// the journey's 1:1 match takes: bench:face), then the decision, the boarding and the door.
const tokenOf = () => templateToBase64(Float32Array.from({ length: 512 }, (_, i) => Math.sin(i)));
for (const p of list) await backend.tokens!.register({ flightId: full.id, passengerId: p.passengerId, modelSet: 'clean', template: tokenOf(), expiresAt: full.departure });
const faced = await Promise.all(list.slice(runs + 1, 2 * runs + 2).map(passOf));
const identifyTimes: number[] = [];
const decideTimes: number[] = [];
for (const [i, pass] of faced.entries()) {
  const t0 = performance.now();
  const known = await gate.identifyPass(pass);
  const t1 = performance.now();
  if (!known.known || known.subject.references.length !== 1) throw new Error('the pass found no face token');
  const outcome = await gate.bySubject(known.subject.id);
  if (!outcome.open) throw new Error(`gate refused: ${outcome.code}`);
  if (i > 0) {
    identifyTimes.push(t1 - t0);
    decideTimes.push(performance.now() - t1);
  }
}

// 1:N over the 300 passengers' tokens (synthetic 512-value templates).
let seed = 1;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
const templates = list.map(() => Float32Array.from({ length: 512 }, rnd));
const tokens = list.map((p, i) => ({ tokenId: `T${i}`, flightId: full.id, passengerId: p.passengerId, modelSet: 'arcface-512', template: templateToBase64(templates[i]!), expiresAt: full.departure }));
const buildTimes: number[] = [];
let gallery = flightGallery(tokens, full.id, 'arcface-512');
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  gallery = flightGallery(tokens, full.id, 'arcface-512');
  buildTimes.push(performance.now() - t0);
}
const searchTimes: number[] = [];
for (let i = 0; i < Math.max(runs, 100); i++) {
  const k = i % list.length;
  const probe = templates[k]!.map((v) => v + 0.1 * rnd());
  const t0 = performance.now();
  const r = searchFlight(gallery, probe, { match: 0.6, margin: 0.05 });
  searchTimes.push(performance.now() - t0);
  if (r.decision !== 'MATCH' || r.passengerId !== list[k]!.passengerId) throw new Error('1:N found the wrong passenger');
}

const row = (label: string, samples: number[], target: number) => {
  const s = stats(samples);
  console.log(`${label.padEnd(46)} ${s.line}   target ≤ ${target} ms ${s.median <= target ? 'ok' : 'MISSED'}`);
};
row('check-in, no bags: lookup → pass printed', noBags, 1500);
row('check-in, one bag: lookup → pass + tag printed', oneBag, 2000);
row('gate: pass scanned → decision, board, door', gateTimes, 500);
row('gate: pass scanned → its face token (of 300)', identifyTimes, 500);
row('gate: face matched → decision, board, door', decideTimes, 500);
row('1:N among 300 tokens of one flight (512-d)', searchTimes, 5);
console.log(`${'  (building that gallery from the store answer)'.padEnd(46)} ${stats(buildTimes).line}`);
console.log(`BSMs received by the simulator: ${sim.bsms.length}; gate openings: ${sim.gateOpenings.length}`);

await printer.close();
await backend.close();
db.close();
rmSync(dir, { recursive: true, force: true });
