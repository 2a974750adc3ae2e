import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FaceIndex, parseIndexKey } from '../../app/platform/face-index/face-index.ts';
import { openDatabase } from '../../app/platform/store/db.ts';

function rand(dim: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: dim }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5);
}

describe('1:N face index', () => {
  const key = randomBytes(32);
  const day = 86_400_000;
  const t0 = new Date('2026-01-01T00:00:00Z');

  it('finds an enrolled subject by a noisy probe, top-k ordered by cosine', async () => {
    const db = openDatabase(':memory:');
    const idx = new FaceIndex(db, key, 'clean', 64);
    for (let i = 0; i < 50; i++) idx.enroll(`worker-${i}`, rand(64, i + 1), 30, t0);
    const probe = rand(64, 18).map((v, j) => v + (j % 2 ? 0.02 : -0.02));
    const hits = await idx.search(probe, 3);
    expect(hits[0]!.subjectId).toBe('worker-17');
    expect(hits[0]!.score).toBeGreaterThan(0.95);
    expect(hits[1]!.score).toBeLessThanOrEqual(hits[0]!.score);
    expect(hits).toHaveLength(3);
    expect(await new FaceIndex(openDatabase(':memory:'), key, 'clean', 64).search(probe, 3)).toEqual([]);
  });

  it('stores only ciphertext: no template bytes in the database, and reloads with the right key', async () => {
    const db = openDatabase(':memory:');
    const idx = new FaceIndex(db, key, 'clean', 16);
    const e = rand(16, 7);
    idx.enroll('w1', e, 30, t0);
    const row = db.prepare('SELECT ciphertext FROM face_templates').get() as { ciphertext: Buffer };
    const unit = Float32Array.from(e, (v) => v / Math.hypot(...e));
    expect(row.ciphertext.equals(Buffer.from(unit.buffer))).toBe(false);
    expect(row.ciphertext.length).toBe(64);
    const again = new FaceIndex(db, key, 'clean', 16).load(t0);
    // Templates are searched as 8-bit integers: a score is within 0.005 of float32's (docs/face-matching.md).
    expect((await again.search(e, 1))[0]).toMatchObject({ subjectId: 'w1', score: expect.closeTo(1, 2) });
  });

  it('refuses a wrong key and detects a ciphertext moved to another subject', () => {
    const db = openDatabase(':memory:');
    const idx = new FaceIndex(db, key, 'clean', 16);
    idx.enroll('w1', rand(16, 1), 30, t0);
    idx.enroll('w2', rand(16, 2), 30, t0);
    expect(() => new FaceIndex(db, randomBytes(32), 'clean', 16).load(t0)).toThrow(expect.objectContaining({ code: 'FACE_INDEX_KEY_MISMATCH' }));
    db.prepare("UPDATE face_templates SET subject_id = 'w2' WHERE subject_id = 'w1'").run();
    db.prepare("UPDATE face_templates SET subject_id = 'w1' WHERE id = 2").run();
    expect(() => new FaceIndex(db, key, 'clean', 16).load(t0)).toThrow(expect.objectContaining({ code: 'FACE_INDEX_TAMPERED' }));
  });

  it('removal and retention purge delete rows and drop them from memory', async () => {
    const db = openDatabase(':memory:');
    const idx = new FaceIndex(db, key, 'clean', 16);
    idx.enroll('short', rand(16, 1), 1, t0);
    idx.enroll('long', rand(16, 2), 90, t0);
    idx.enroll('gone', rand(16, 3), 90, t0);
    expect(idx.remove('gone')).toBe(1);
    expect(idx.size).toBe(2);
    expect(idx.purgeExpired(new Date(t0.getTime() + 2 * day))).toBe(1);
    expect(idx.size).toBe(1);
    expect((await idx.search(rand(16, 1), 5)).map((h) => h.subjectId)).toEqual(['long']);
    expect((db.prepare('SELECT COUNT(*) AS n FROM face_templates').get() as { n: number }).n).toBe(1);
    // Expired rows are not loaded even before a purge runs.
    idx.enroll('brief', rand(16, 4), 1, t0);
    expect(new FaceIndex(db, key, 'clean', 16).load(new Date(t0.getTime() + 5 * day)).size).toBe(1);
  });

  it('parses keys from hex or base64 and rejects others', () => {
    const k = randomBytes(32);
    expect(parseIndexKey(k.toString('hex')).equals(k)).toBe(true);
    expect(parseIndexKey(`${k.toString('base64')}\n`).equals(k)).toBe(true);
    expect(() => parseIndexKey('short')).toThrow(expect.objectContaining({ code: 'FACE_INDEX_KEY_INVALID' }));
  });
});
