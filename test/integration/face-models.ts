import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingModels, modelsDir, readManifest } from '../../app/platform/models/provision.ts';

/** Face tests need the provisioned models (npm install/ci makes them). Absent → skip, saying why. */
export function modelsMissingReason(): string | undefined {
  const missing = missingModels(readManifest());
  if (missing.length === 0) return undefined;
  const reason = `face models not provisioned (${missing.join(', ')}): run \`node models/provision.mjs\``;
  console.warn(`SKIPPING face model tests: ${reason}`);
  return reason;
}

export const fixture = (...p: string[]): Uint8Array => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'faces', ...p));
export const fixtureExists = (...p: string[]): boolean => existsSync(join(import.meta.dirname, '..', 'fixtures', 'faces', ...p));
export { modelsDir };
