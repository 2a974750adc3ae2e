import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { equalErrorRate, errorRates, rocAuc, summarise, thresholdForFar, type ScoreSummary } from '../../core/face/evaluation.ts';
import { activeThresholds, cosine } from '../../core/face/policy.ts';
import { chipJpeg, chipJpeg2000 } from '../../platform/models/chip-sim.ts';
import { FaceService } from '../../platform/models/face-service.ts';
import { decodeImage } from '../../platform/image/decode.ts';
import { cliFaceConfig } from './face-match.ts';

interface Sample {
  person: string;
  file: string;
  live?: Float32Array;
  chipJpeg?: Float32Array;
  chipJp2?: Float32Array;
}

interface ConditionReport {
  condition: string;
  genuine: ScoreSummary;
  impostor: ScoreSummary;
  auc: number;
  eer: number;
  eerThreshold: number;
  atConfigured: { match: { far: number; frr: number }; noMatch: { far: number; frr: number } };
  recommended: { targetFar: number; threshold: number; frr: number; resolvable: boolean };
}

function listPeople(dir: string): { person: string; files: string[] }[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    throw new UsageError(`cannot read ${dir}`, 66);
  }
  return entries
    .filter((p) => statSync(join(dir, p)).isDirectory())
    .sort()
    .map((person) => ({
      person,
      files: readdirSync(join(dir, person)).filter((f) => /\.(jpe?g|png|jp2|j2k)$/i.test(f)).sort().map((f) => join(dir, person, f)),
    }))
    .filter((p) => p.files.length > 0);
}

/** Genuine = same person, different image; impostor = different people. `probe` of one vs `ref` of the other. */
function pairScores(samples: Sample[], probe: keyof Sample, ref: keyof Sample): { genuine: number[]; impostor: number[] } {
  const genuine: number[] = [], impostor: number[] = [];
  for (let i = 0; i < samples.length; i++) for (let j = 0; j < samples.length; j++) {
    if (i === j) continue;
    const a = samples[i]![probe] as Float32Array | undefined, b = samples[j]![ref] as Float32Array | undefined;
    if (!a || !b) continue;
    // Symmetric conditions count each unordered pair once.
    if (probe === ref && j < i) continue;
    (samples[i]!.person === samples[j]!.person ? genuine : impostor).push(cosine(a, b));
  }
  return { genuine, impostor };
}

const command: Command = {
  name: 'face-eval',
  summary: 'Evaluate face matching on DIR/<person>/*.jpg: ROC AUC, EER, FAR/FRR, recommended threshold',
  usage: [
    'Usage: cccd-kiosk face-eval DIR [--model-set clean|faceplugin] [--profile NAME] [--target-far 0.001] [--json]',
    '',
    'DIR holds one folder per person with two or more photos each (consented data only).',
    'Scores every same-person and different-person pair, then again with one side turned into a',
    'simulated chip portrait (240×320, JPEG ≤ 10 KB; JPEG 2000 at chip size), and prints the score',
    'distributions, ROC AUC, EER, FAR/FRR at the configured thresholds and the threshold that meets',
    'the target FAR. See docs/face-matching.md for how a site calibrates.',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'model-set': { type: 'string' }, profile: { type: 'string' }, 'target-far': { type: 'string' }, json: { type: 'boolean' } },
    });
    const dir = positionals[0];
    if (!dir) throw new UsageError('need a folder of person folders');
    const targetFar = Number(values['target-far'] ?? '0.001');
    if (!(targetFar > 0 && targetFar < 1)) throw new UsageError('--target-far must be between 0 and 1');
    const config = cliFaceConfig(values);
    const people = listPeople(dir);
    if (people.length < 2) throw new UsageError('need at least two person folders');
    const service = await FaceService.create(config);

    const samples: Sample[] = [];
    let failed = 0, jp2Bytes = 0, jpegBytes = 0;
    for (const { person, files } of people) {
      for (const file of files) {
        const img = await decodeImage(readFileSync(file));
        const s: Sample = { person, file };
        try {
          s.live = await service.chipEmbedding(img);
          const jpeg = await chipJpeg(img);
          const jp2 = await chipJpeg2000(img);
          jpegBytes += jpeg.length;
          jp2Bytes += jp2.length;
          s.chipJpeg = await service.chipEmbedding(jpeg);
          s.chipJp2 = await service.chipEmbedding(jp2);
        } catch {
          failed++; // no face found: counted, left out of the pairs
        }
        samples.push(s);
      }
    }
    const n = samples.filter((s) => s.live).length;
    const t = activeThresholds(config);
    const report = (condition: string, probe: keyof Sample, ref: keyof Sample): ConditionReport => {
      const { genuine, impostor } = pairScores(samples, probe, ref);
      const eer = equalErrorRate(genuine, impostor);
      const rec = thresholdForFar(impostor, targetFar);
      return {
        condition,
        genuine: summarise(genuine),
        impostor: summarise(impostor),
        auc: rocAuc(genuine, impostor),
        eer: eer.eer,
        eerThreshold: eer.threshold,
        atConfigured: { match: errorRates(genuine, impostor, t.match), noMatch: errorRates(genuine, impostor, t.noMatch) },
        recommended: { targetFar, threshold: rec.threshold, frr: errorRates(genuine, impostor, rec.threshold).frr, resolvable: rec.resolvable },
      };
    };
    const reports = [
      report('photo vs photo', 'live', 'live'),
      report('chip JPEG ≤10 KB vs photo', 'chipJpeg', 'live'),
      report('chip JPEG 2000 vs photo', 'chipJp2', 'live'),
    ];
    const meta = {
      modelSet: config.modelSet,
      people: people.length,
      images: samples.length,
      noFace: failed,
      thresholds: t,
      meanChipBytes: { jpeg: Math.round(jpegBytes / Math.max(1, n)), jpeg2000: Math.round(jp2Bytes / Math.max(1, n)) },
    };
    if (values.json) {
      console.log(JSON.stringify({ ...meta, reports }, null, 2));
      return 0;
    }
    const f = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');
    const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : 'n/a');
    console.log(`model set ${meta.modelSet}: ${meta.people} people, ${meta.images} images (${failed} without a detectable face)`);
    console.log(`configured thresholds: MATCH ≥ ${t.match}, NO_MATCH < ${t.noMatch}; simulated chip sizes: JPEG ~${meta.meanChipBytes.jpeg} B, JPEG 2000 ~${meta.meanChipBytes.jpeg2000} B`);
    for (const r of reports) {
      const d = (s: ScoreSummary) => `n=${s.count} min ${f(s.min)} p5 ${f(s.p05)} median ${f(s.median)} p95 ${f(s.p95)} max ${f(s.max)}`;
      console.log(`\n${r.condition}`);
      console.log(`  genuine:  ${d(r.genuine)}`);
      console.log(`  impostor: ${d(r.impostor)}`);
      console.log(`  ROC AUC ${f(r.auc)}, EER ${pct(r.eer)} at ${f(r.eerThreshold)}`);
      console.log(`  at MATCH ${t.match}: FAR ${pct(r.atConfigured.match.far)}, FRR ${pct(r.atConfigured.match.frr)}; at NO_MATCH ${t.noMatch}: FAR ${pct(r.atConfigured.noMatch.far)}, FRR ${pct(r.atConfigured.noMatch.frr)}`);
      console.log(`  recommended threshold for FAR ≤ ${targetFar}: ${f(r.recommended.threshold)} (FRR there ${pct(r.recommended.frr)})${r.recommended.resolvable ? '' : ` — only ${r.impostor.count} impostor pairs: FAR below ${(1 / Math.max(1, r.impostor.count)).toPrecision(2)} cannot be measured, this is "above every impostor seen"`}`);
    }
    return 0;
  },
};
export default command;
