import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RarOutbox } from '../../app/platform/rar/outbox.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { listMigrations, migrate, openDatabase } from '../../app/platform/store/db.ts';
import { exposedPaths, exposureWarning } from '../../app/platform/store/private-files.ts';
import { parseSealingKey, Sealer } from '../../app/platform/store/sealing.ts';
import { loadStoreKey, storeKeySource, STORE_KEY_CREDENTIAL } from '../../app/platform/store/store-key.ts';
import { tempDir } from '../support/temp-dir.ts';

const aad = (s: string) => Buffer.from(s);

describe('Sealer', () => {
  const sealer = new Sealer(randomBytes(32));
  const plain = Buffer.from('{"idNumber":"079123456789"}');

  it('round-trips, with a fresh nonce each time', () => {
    const a = sealer.seal(plain, aad('row-1'));
    const b = sealer.seal(plain, aad('row-1'));
    expect(a.equals(b)).toBe(false);
    expect(a.includes(plain)).toBe(false);
    expect(sealer.open(a, aad('row-1'))?.equals(plain)).toBe(true);
  });

  it('does not open for another row, another key, an altered byte or a foreign blob', () => {
    const blob = sealer.seal(plain, aad('row-1'));
    expect(sealer.open(blob, aad('row-2'))).toBeUndefined();
    expect(new Sealer(randomBytes(32)).open(blob, aad('row-1'))).toBeUndefined();
    for (const at of [0, 3, 12, 30, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[at]! ^= 1;
      expect(sealer.open(bad, aad('row-1')), `byte ${at}`).toBeUndefined();
    }
    expect(sealer.open(Buffer.from('not sealed at all, just text'), aad('row-1'))).toBeUndefined();
    expect(sealer.open(Buffer.alloc(0), aad('row-1'))).toBeUndefined();
  });

  it('names its key as face templates always have (first 16 hex digits of its SHA-256), so stored key ids still match', () => {
    const key = randomBytes(32);
    expect(new Sealer(key).keyId.toString('hex')).toBe(createHash('sha256').update(key).digest('hex').slice(0, 16));
  });

  it('parses 32-byte keys from hex or base64 and names a bad one by code', () => {
    const k = randomBytes(32);
    expect(parseSealingKey(`${k.toString('hex')}\n`).equals(k)).toBe(true);
    expect(parseSealingKey(k.toString('base64')).equals(k)).toBe(true);
    expect(() => parseSealingKey('abcd')).toThrow(expect.objectContaining({ code: 'STORE_KEY_INVALID' }));
  });
});

describe('the store key', () => {
  const dir = tempDir('store-key');
  afterAll(() => dir.cleanup());

  it('is made once beside the database, 0600, and read back the same', () => {
    const db = join(dir.path, 'kiosk.db');
    const key = loadStoreKey(db);
    expect(statSync(join(dir.path, 'store.key')).mode & 0o777).toBe(0o600);
    expect(loadStoreKey(db).equals(key)).toBe(true);
  });

  it('comes from the systemd credential when the unit loads one', () => {
    const creds = join(dir.path, 'credentials');
    mkdirSync(creds);
    expect(storeKeySource('/var/lib/k/kiosk.db', { CREDENTIALS_DIRECTORY: creds })).toEqual({ kind: 'file', path: '/var/lib/k/store.key' });
    writeFileSync(join(creds, STORE_KEY_CREDENTIAL), randomBytes(32).toString('hex'));
    expect(storeKeySource('/var/lib/k/kiosk.db', { CREDENTIALS_DIRECTORY: creds })).toEqual({ kind: 'credential', path: join(creds, STORE_KEY_CREDENTIAL) });
  });

  it('is not made for a database that never seals anything', () => {
    const own = join(dir.path, 'plain');
    openDatabase(join(own, 'kiosk.db')).close();
    expect(exposedPaths(own)).toEqual([]);
    expect(() => readFileSync(join(own, 'store.key'))).toThrow(/ENOENT/);
  });
});

describe('sealing requests queued by an earlier version', () => {
  const dir = tempDir('store-legacy');
  afterAll(() => dir.cleanup());

  it('a queued body stored in clear is sealed in place by migration 061 and still delivered', () => {
    const file = join(dir.path, 'kiosk.db');
    const old = new Database(file);
    migrate(old, listMigrations().filter((m) => m.version < 60));
    const body = JSON.stringify({ requestId: '6f1d3f44-9c61-4a57-8d44-2b7b4cbb0c11', idNumber: '079123456789' });
    old.prepare(`INSERT INTO rar_verifications (request_id, created_at, state, origin, request_body) VALUES (?, ?, 'queued', 'offline', ?)`)
      .run('6f1d3f44-9c61-4a57-8d44-2b7b4cbb0c11', new Date().toISOString(), body);
    old.close();

    const db = openDatabase(file);
    const stored = db.prepare('SELECT request_body FROM rar_verifications').get() as { request_body: unknown };
    expect(Buffer.isBuffer(stored.request_body)).toBe(true);
    expect((stored.request_body as Buffer).includes(Buffer.from('079123456789'))).toBe(false);
    const [claimed] = new RarOutbox(db, new AuditLog(db)).claimDue(5, 0);
    expect(claimed?.request).toEqual(JSON.parse(body));
    db.close();
    expect(readFileSync(file).includes(Buffer.from('079123456789'))).toBe(false);
  });
});

describe('data folder exposure', () => {
  const dir = tempDir('exposure');
  afterAll(() => dir.cleanup());

  it('lists what others may open, the folder included, and says nothing of a private folder', () => {
    mkdirSync(join(dir.path, 'sub'), { mode: 0o700 });
    writeFileSync(join(dir.path, 'sub', 'a.db'), '', { mode: 0o600 });
    expect(exposedPaths(dir.path)).toEqual([]);
    expect(exposureWarning(dir.path)).toBeUndefined();
    writeFileSync(join(dir.path, 'sub', 'b.png'), '', { mode: 0o640 });
    expect(exposedPaths(dir.path)).toEqual([{ path: join('sub', 'b.png'), mode: 0o640 }]);
    expect(exposureWarning(dir.path)).toContain('sub/b.png (0640)');
    expect(exposedPaths(join(dir.path, 'absent'))).toEqual([]);
  });
});

describe('secure_delete', () => {
  const dir = tempDir('secure-delete');
  afterAll(() => dir.cleanup());

  it('is on for every connection, so an erased value is overwritten on disk, not left in free space', () => {
    const file = join(dir.path, 'kiosk.db');
    const db = openDatabase(file);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    db.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, state TEXT, png BLOB)');
    db.prepare('INSERT INTO scratch (state, png) VALUES (?, ?)').run('queued', Buffer.from('a receipt with a name on it; '.repeat(60)));
    db.prepare('INSERT INTO scratch (state, png) VALUES (?, ?)').run('queued', Buffer.from('another'));
    db.prepare("UPDATE scratch SET state = 'done' WHERE id = 1").run();
    db.prepare('UPDATE scratch SET png = NULL WHERE id = 1').run();
    db.close();
    expect(readFileSync(file).includes(Buffer.from('a receipt with a name'))).toBe(false);
  });
});
