import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseSealingKey } from './sealing.ts';

/** The key file the kiosk makes beside its database on first use (0600, in the 0700 data folder). */
export const STORE_KEY_FILE = 'store.key';
/**
 * The systemd credential that, when the unit loads one (`LoadCredential=cccd-kiosk-store-key:…`),
 * keeps the key off the data disk: a copy of the data folder then holds nothing readable.
 */
export const STORE_KEY_CREDENTIAL = 'cccd-kiosk-store-key';

export interface StoreKeySource {
  readonly kind: 'credential' | 'file';
  readonly path: string;
}

/** Where the at-rest key of the database `dbFile` comes from. */
export function storeKeySource(dbFile: string, env: NodeJS.ProcessEnv = process.env): StoreKeySource {
  const credentials = env.CREDENTIALS_DIRECTORY;
  if (credentials && existsSync(join(credentials, STORE_KEY_CREDENTIAL))) return { kind: 'credential', path: join(credentials, STORE_KEY_CREDENTIAL) };
  return { kind: 'file', path: join(dirname(dbFile), STORE_KEY_FILE) };
}

/**
 * Reads the database's at-rest key, making the key file on first use. The new key is written to a
 * private temporary file and linked into place, so two processes opening the same database at once
 * end up with the same key, never with a half-written one.
 */
export function loadStoreKey(dbFile: string): Buffer {
  const source = storeKeySource(dbFile);
  if (source.kind === 'file' && !existsSync(source.path)) {
    const tmp = `${source.path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, source.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  return parseSealingKey(readFileSync(source.path, 'utf8'));
}
