import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The kiosk's state folder holds personal data (queued verification requests, print images, visit
 * records), so only the kiosk's own user may open it: folders 0700, files 0600, whatever the umask.
 */

/** Makes `dir` and any missing parents with mode 0700. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Creates `file` with mode 0600 if it does not exist (SQLite gives its -wal and -shm files the database's mode). */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
}

export interface ExposedPath {
  /** Relative to the folder checked; '.' is the folder itself. */
  readonly path: string;
  readonly mode: number;
}

const OTHERS = 0o077;
const SHOWN = 5;

/**
 * Everything under `dir` (itself included) that users other than the owner may read, write or
 * enter. Symbolic links are not followed. An absent folder exposes nothing.
 */
export function exposedPaths(dir: string): ExposedPath[] {
  if (!existsSync(dir)) return [];
  const found: ExposedPath[] = [];
  const visit = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    if ((st.mode & OTHERS) !== 0) found.push({ path: relative(dir, path) || '.', mode: st.mode & 0o777 });
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return found;
}

/** One plain sentence for the log and `doctor`, or undefined when the folder is private. */
export function exposureWarning(dir: string, exposed: readonly ExposedPath[] = exposedPaths(dir)): string | undefined {
  if (exposed.length === 0) return undefined;
  const shown = exposed.slice(0, SHOWN).map((e) => `${e.path === '.' ? 'the folder itself' : e.path} (${e.mode.toString(8).padStart(4, '0')})`);
  const more = exposed.length > SHOWN ? ` and ${exposed.length - SHOWN} more` : '';
  return `the data folder ${dir} is readable by other users: ${shown.join(', ')}${more}; run chmod -R go-rwx on it`;
}
