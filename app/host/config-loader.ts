import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { kioskConfigFor, type KioskConfig } from '../core/config/schema.ts';
import type { SecretRef } from '../core/config/secret-ref.ts';
import { sites } from '../sites/registry.ts';

export const profilesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../kiosk-config');

/** The profile schema of this kiosk: the common sections and one `site:` variant per registered site. */
export const kioskConfig = kioskConfigFor(sites);

/** A profile that cannot be used: names the file and, where known, the key path. Start-up exits 2. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly keyPath: string | undefined, readonly problem: string) {
    super(`${file}${keyPath ? `: ${keyPath}` : ''}: ${problem}`);
  }
}

export interface LoadedProfile {
  /** Profile name (file name without extension). */
  readonly name: string;
  readonly file: string;
  readonly config: KioskConfig;
}

/** `demo` → kiosk-config/demo.yaml; anything with a slash or a .yaml/.yml ending is a path. */
export function resolveProfilePath(nameOrPath: string, cwd = process.cwd()): string {
  if (/[\\/]/.test(nameOrPath) || /\.ya?ml$/.test(nameOrPath)) return resolve(cwd, nameOrPath);
  return join(profilesDir, `${nameOrPath}.yaml`);
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function keyPathOf(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

/** One line per problem, each naming its key path; zod's own wording for the kind of mistake. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { keyPath: string; problem: string }[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ keyPath: keyPathOf([...issue.path, k]), problem: 'unknown key' }));
    }
    if (issue.code === 'invalid_union') {
      // A union of literals (e.g. paper width 58 | 80) or of site kinds: say which values are allowed.
      const kinds = 'options' in issue ? issue.options ?? [] : [];
      const allowed = [...kinds, ...issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values : []))];
      if (allowed.length > 0) {
        return [{ keyPath: keyPathOf(issue.path), problem: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` }];
      }
    }
    return [{ keyPath: keyPathOf(issue.path) || '(top level)', problem: issue.message }];
  });
}

export function loadProfile(nameOrPath: string, cwd = process.cwd()): LoadedProfile {
  const file = resolveProfilePath(nameOrPath, cwd);
  const shown = displayPath(file);
  if (!existsSync(file)) {
    throw new ConfigError(shown, undefined, `profile file not found (profiles live in ${displayPath(profilesDir)}/, or give a path)`);
  }
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const where = err.linePos?.[0] ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : undefined;
    throw new ConfigError(shown, where, `not valid YAML: ${err.message.split('\n')[0]}`);
  }
  const parsed = kioskConfig.safeParse(doc.toJS());
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues);
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).map((p) => p.keyPath).join(', ')})` : '';
    throw new ConfigError(shown, first.keyPath, `${first.problem}${more}`);
  }
  const name = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  return { name, file, config: parsed.data };
}

/** Reads a referenced secret. A missing one is a configuration error naming the key that refers to it. */
export function readSecret(profile: LoadedProfile, ref: SecretRef, keyPath: string): string {
  const shown = displayPath(profile.file);
  if ('env' in ref) {
    const value = process.env[ref.env];
    if (value === undefined || value === '') throw new ConfigError(shown, keyPath, `environment variable ${ref.env} is not set`);
    return value;
  }
  const path = isAbsolute(ref.file) ? ref.file : resolve(dirname(profile.file), ref.file);
  if (!existsSync(path)) throw new ConfigError(shown, keyPath, `secret file ${ref.file} not found`);
  return readFileSync(path, 'utf8').trim();
}

/** Resolves a path written in a profile against the profile's folder. */
export function profileRelative(profile: LoadedProfile, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(profile.file), path);
}
