/**
 * The airport site module, Node half: the DCS, BSM inbox, token store, e-gate and scale adapters
 * (or the simulator), the check-in flow at a `check-in` kiosk and the gate flow at an e-gate, the
 * boarding pass, bag tags and bag receipt, and `dcs-sim`. Without a DCS the placeholder shows.
 */
import type { ReceiptDocument } from '../../../core/receipts/index.ts';
import type { PrintedReceipt } from '../../../core/journey/ports.ts';
import { siteNode, type SiteWiringContext } from '../../site-node.ts';
import { createCheckInFlow } from '../common/checkin-flow.ts';
import { createGateFlow } from '../common/gate-flow.ts';
import { gateService, subjectOf, type GateService } from '../common/gate-service.ts';
import { airportMaintenanceSchema, boardingSummary, CheckInTally, type AirportMaintenance } from '../common/maintenance.ts';
import { airportToday } from '../common/time-rules.ts';
import { boardingGallery } from '../common/gate.ts';
import { AirportError } from '../common/ports.ts';
import { airport, airportPlaceholderFlow } from '../common/site.ts';
import { parseSealingKey } from '../../../platform/store/sealing.ts';
import type { BiometricTokens } from '../common/ports.ts';
import type { AirportConfig } from '../common/config.ts';
import { createAirportBackend } from './airport-backend.ts';
import { siteBoardings } from './site-boardings.ts';
import { siteTokens } from './site-tokens.ts';

export const airportNode = siteNode(airport, {
  async wire(ctx) {
    const { settings } = ctx;
    const backend = await createAirportBackend(settings, {
      readSecret: ctx.readSecret,
      ...(settings.dcs?.adapter === 'sim' ? { simulators: await import('./demo-wiring.ts') } : {}),
    });
    const record = (action: string, detail: Record<string, string | number | boolean>) => void ctx.audit.append({ actor: 'kiosk', action, detail });
    const clock = () => new Date();
    const { dcs } = backend;
    const own = ownTokens(ctx, settings, clock);
    const tokens: BiometricTokens | undefined = own?.tokens ?? backend.tokens;
    const close = async () => {
      own?.stop();
      await backend.close();
    };
    if (!dcs) return { flow: () => airportPlaceholderFlow(settings), simulators: backend.simulatorUrls, close };
    if (settings.role === 'check-in') {
      const tally = new CheckInTally(airportToday);
      const flow = () =>
        createCheckInFlow({
          dcs, settings, clock, record, terminalId: ctx.terminalId, paper: ctx.printing.paper,
          ...(backend.scale ? { scale: backend.scale } : {}),
          ...(backend.baggage ? { baggage: backend.baggage } : {}),
          ...(tokens ? { tokens } : {}),
          print: (docs) => printAll(ctx.printing, docs),
          onCheckedIn: (flight, passengers, bags) => tally.add(flight, passengers.map((p) => p.name), bags, clock()),
        });
      const maintenance = () => ({ site: airportMaintenanceSchema.parse({ kind: airport.kind, checkIns: tally.today(clock()), boarding: null }) });
      return { flow, maintenance, simulators: backend.simulatorUrls, close };
    }
    if (!backend.door) {
      await close();
      throw new AirportError('AIRPORT_CONFIG_INVALID', 'site.door: an e-gate needs its door controller');
    }
    const gate = gateService({
      dcs, door: backend.door, clock, record, ...(tokens ? { tokens } : {}),
      boardings: siteBoardings(ctx.siteStore, ctx.terminalId, clock), whenSiteOffline: settings.boardingWhenSiteOffline,
      settings: { role: settings.role, airport: settings.iataCode, ...(settings.gate ? { gate: settings.gate } : {}), gateClosesMinutesBefore: settings.gateClosesMinutesBefore, securityOpensMinutesBefore: settings.securityOpensMinutesBefore },
    });
    const search = { match: settings.faceSearch[settings.faceModel], margin: settings.faceSearch.margin };
    const board = boardingBoard(gate, ctx.log);
    return {
      flow: () => createGateFlow(gate),
      maintenance: () => ({ site: airportMaintenanceSchema.parse({ kind: airport.kind, checkIns: [], boarding: board.shown() }) }),
      // A boarding pass scanned at the gate: its passenger's face token is the face to match.
      ...(tokens ? { identifyCode: (code: string) => gate.identifyPass(code) } : {}),
      // No pass, no card: the face among the flight boarding at this gate (boarding gates only).
      ...(tokens && settings.role === 'boarding-gate' ? { faceGallery: boardingGallery(() => gate.boardingTokens(), settings.faceModel, search, subjectOf) } : {}),
      simulators: backend.simulatorUrls,
      close: async () => {
        board.stop();
        await close();
      },
    };
  },
  commands: { 'dcs-sim': () => import('./dcs-sim-command.ts') },
});

/** How often a kiosk keeping face tokens in the site store sweeps out the expired ones. */
const TOKEN_SWEEP_MS = 3_600_000;

/** The face tokens in the site store (`biometricTokens: { adapter: site }`), swept of expired ones now and then. */
function ownTokens(
  ctx: Pick<SiteWiringContext, 'siteStore' | 'readSecret' | 'log'>,
  settings: Pick<AirportConfig, 'biometricTokens' | 'siteKey'>,
  clock: () => Date,
): { tokens: BiometricTokens; stop(): void } | undefined {
  if (!settings.biometricTokens || !('adapter' in settings.biometricTokens)) return undefined;
  if (!settings.siteKey) throw new AirportError('AIRPORT_CONFIG_INVALID', 'site.siteKey: face tokens kept in the site store are sealed with the site key');
  const tokens = siteTokens(ctx.siteStore, parseSealingKey(ctx.readSecret(settings.siteKey, 'site.siteKey'), 'AIRPORT_CONFIG_INVALID', 'site.siteKey'), clock);
  const sweep = () => void tokens.removeExpired().catch((e: unknown) => ctx.log(`airport: expired face tokens not removed (${(e as { code?: string }).code ?? 'error'})`));
  sweep();
  const timer = setInterval(sweep, TOKEN_SWEEP_MS);
  timer.unref();
  return { tokens, stop: () => clearInterval(timer) };
}

/** How often the staff screen's boarding list is fetched again from the DCS. */
const BOARDING_LIST_REFRESH_MS = 15_000;

/**
 * The boarding list of the gate's flight for the staff screen, fetched now and every few seconds
 * (the maintenance summary is read at once; the DCS is asked in the background).
 */
function boardingBoard(gate: GateService, log: (line: string) => void): { shown(): AirportMaintenance['boarding']; stop(): void } {
  let shown: AirportMaintenance['boarding'] = null;
  const refresh = () =>
    gate.boardingList().then(
      (list) => void (shown = list ? boardingSummary(list) : null),
      (e: unknown) => log(`airport: boarding list not refreshed (${e instanceof AirportError ? e.code : 'UNEXPECTED'})`),
    );
  void refresh();
  const timer = setInterval(() => void refresh(), BOARDING_LIST_REFRESH_MS);
  timer.unref();
  return { shown: () => shown, stop: () => clearInterval(timer) };
}

/** Prints every document in turn; the screen shows the first (the boarding pass), and the first problem is reported. */
async function printAll(printing: SiteWiringContext['printing'], docs: readonly ReceiptDocument[]): Promise<PrintedReceipt> {
  const results: PrintedReceipt[] = [];
  for (const doc of docs) {
    const r = await printing.print(doc);
    results.push(r);
    if (!r.printed) break; // out of paper: the rest would be lost too; staff reprint at the counter
  }
  const first = results[0]!;
  const problem = results.find((r) => !r.printed);
  return { previewPng: first.previewPng, printed: problem === undefined, ...(problem?.printerProblem ? { printerProblem: problem.printerProblem } : {}) };
}
