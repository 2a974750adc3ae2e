import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { faceConfig, modelSetName, type FaceConfig } from '../../core/face/config.ts';
import { GUIDANCE } from '../../core/face/quality.ts';
import { loadProfile } from '../../host/config-loader.ts';
import { FaceService } from '../../platform/models/face-service.ts';

/** Face settings for the CLI: a profile's `face:` section if given, then command-line overrides. */
export function cliFaceConfig(values: { profile?: string; 'model-set'?: string; threads?: string }): FaceConfig {
  const base = values.profile ? (loadProfile(values.profile).config.face ?? {}) : {};
  const modelSet = values['model-set'];
  if (modelSet !== undefined && !modelSetName.safeParse(modelSet).success) throw new UsageError(`--model-set must be clean or faceplugin, not "${modelSet}"`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new UsageError('--threads must be a positive integer');
  return faceConfig.parse({ ...base, ...(modelSet ? { modelSet } : {}), ...(threads ? { intraOpNumThreads: threads } : {}) });
}

function readImage(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new UsageError(`cannot read ${path}`, 66);
  }
}

const command: Command = {
  name: 'face-match',
  summary: 'Match a live photo against a chip portrait: score, decision, quality reasons, timings',
  usage: [
    'Usage: cccd-kiosk face-match CHIP.jpg LIVE.jpg [LIVE2.jpg …] [--model-set clean|faceplugin] [--profile NAME] [--threads N] [--json]',
    '',
    'CHIP is the chip portrait (JPEG, PNG or JPEG 2000); each LIVE is one camera frame (best-of-N).',
    'Prints the decision (MATCH, NO_MATCH or UNCERTAIN), the cosine score and thresholds, why frames',
    'were unusable, and per-stage timings. --profile takes thresholds and options from a site profile.',
    'Exit code: 0 MATCH, 1 NO_MATCH, 3 UNCERTAIN.',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'model-set': { type: 'string' }, profile: { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length < 2) throw new UsageError('need a chip image and at least one live image');
    const [chipPath, ...livePaths] = positionals as [string, ...string[]];
    const config = cliFaceConfig(values);
    const chip = readImage(chipPath);
    const live = livePaths.map(readImage);
    const service = await FaceService.create({ ...config, burstFrames: Math.max(config.burstFrames, live.length) });
    const r = await service.verify(chip, live);
    const round = (v: number) => Math.round(v * 10) / 10;
    const timings = Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, round(v)]));
    if (values.json) {
      console.log(JSON.stringify({
        decision: r.decision,
        score: r.score,
        modelSet: r.modelSet,
        thresholds: r.thresholds,
        usableFrames: r.usableFrames,
        totalFrames: r.totalFrames,
        reasons: r.reasons,
        notes: r.notes,
        frames: r.frames.map((f) => ({ score: f.score ?? null, reasons: f.reasons })),
        modelLoadMs: round(service.engine.loadMs),
        timingsMs: timings,
      }, null, 2));
    } else {
      console.log(`decision:   ${r.decision}`);
      console.log(`score:      ${r.score === null ? '(no usable live frame)' : r.score.toFixed(4)}  (model set ${r.modelSet}; MATCH ≥ ${r.thresholds.match}, NO_MATCH < ${r.thresholds.noMatch})`);
      console.log(`frames:     ${r.usableFrames} of ${r.totalFrames} usable`);
      r.frames.forEach((f, i) => console.log(`  ${livePaths[i]}: ${f.score === undefined ? 'unusable' : f.score.toFixed(4)}${f.reasons.length ? `  [${f.reasons.map((x) => `${x}: ${GUIDANCE[x].en}`).join('; ')}]` : ''}`));
      if (r.notes.length) console.log(`notes:      ${r.notes.join(', ')}`);
      console.log(`timings ms: ${Object.entries(timings).map(([k, v]) => `${k} ${v}`).join(', ')} (model load ${round(service.engine.loadMs)})`);
    }
    return r.decision === 'MATCH' ? 0 : r.decision === 'NO_MATCH' ? 1 : 3;
  },
};
export default command;
