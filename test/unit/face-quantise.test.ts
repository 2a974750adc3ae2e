import { describe, expect, it } from 'vitest';
import { topMatchAgreement } from '../../app/core/face/evaluation.ts';
import { cosine } from '../../app/core/face/policy.ts';
import { quantisedCosine, quantiseQuery, quantiseRow } from '../../app/core/face/quantise.ts';
import { QuantisedGallery } from '../../app/platform/face-index/quantised-gallery.ts';

/** A seeded normal-ish random vector (sum of uniforms), so runs are repeatable. */
function gaussian(dim: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: dim }, () => next() + next() + next() - 1.5);
}

const near = (v: Float32Array, seed: number, noise: number) => {
  const n = gaussian(v.length, seed);
  return Float32Array.from(v, (x, i) => x + noise * n[i]!);
};

/** Exact float32 top match, by brute force. */
function exactTop(gallery: Float32Array[], q: Float32Array) {
  let best = { key: '', score: -2 };
  gallery.forEach((g, i) => {
    const s = cosine(g, q);
    if (s > best.score) best = { key: `p${i}`, score: s };
  });
  return best;
}

describe('8-bit face templates', () => {
  it('keep every cosine within 0.005 of float32, for 128-d and 512-d', () => {
    for (const dim of [128, 512]) {
      let worst = 0;
      for (let i = 0; i < 300; i++) {
        const a = gaussian(dim, i + 1), b = i % 3 ? gaussian(dim, i + 1000) : near(a, i + 7, 0.3);
        const row = new Int8Array(dim);
        const scale = quantiseRow(a, row, 0);
        worst = Math.max(worst, Math.abs(quantisedCosine(row, scale, quantiseQuery(b)) - cosine(a, b)));
      }
      expect(worst).toBeLessThan(0.005);
      expect(worst).toBeGreaterThan(0); // it is an approximation, and the test can see its error
    }
  });

  it('the integer kernel gives exactly the reference quantised score, and the same top match as float32 over 5,000', async () => {
    const dim = 128;
    const people = Array.from({ length: 5000 }, (_, i) => gaussian(dim, i + 1));
    const gallery = new QuantisedGallery(dim);
    people.forEach((p, i) => gallery.put(`p${i}`, 'chip', p));
    const pairs = [];
    for (let i = 0; i < 40; i++) {
      const probe = near(people[i * 97]!, 5000 + i, 0.6);
      const [top] = await gallery.search(probe, 3);
      const row = new Int8Array(dim);
      const scale = quantiseRow(people[Number(top!.key.slice(1))]!, row, 0);
      expect(top!.score).toBeCloseTo(quantisedCosine(row, scale, quantiseQuery(probe)), 5);
      pairs.push({ exact: exactTop(people, probe), approx: top! });
    }
    const agreement = topMatchAgreement(pairs);
    expect(agreement.sameTop).toBe(agreement.queries);
    expect(agreement.maxScoreDelta).toBeLessThan(0.005);
  });

  it('returns each key once, with its best template, best first', async () => {
    const g = new QuantisedGallery(16);
    const a = gaussian(16, 1), b = gaussian(16, 2);
    g.put('a', 'chip', a);
    g.put('a', 'live', near(a, 3, 0.5));
    g.put('b', 'chip', b);
    const hits = await g.search(a, 5);
    expect(hits.map((h) => h.key)).toEqual(['a', 'b']);
    expect(hits[0]!.score).toBeCloseTo(1, 2);
    expect(g.size).toBe(3);
    expect(g.people).toBe(2);
  });

  it('replaces a slot, removes a key or one slot, and keeps the rest findable', async () => {
    const g = new QuantisedGallery(16);
    const vs = Array.from({ length: 6 }, (_, i) => gaussian(16, i + 10));
    vs.forEach((v, i) => g.put(`k${i}`, 'chip', v));
    g.put('k1', 'chip', vs[5]!);
    expect(g.size).toBe(6);
    expect(g.remove('k0')).toBe(1);
    expect(g.remove('k0')).toBe(0);
    g.put('k2', 'live', vs[2]!);
    expect(g.remove('k2', 'chip')).toBe(1);
    for (const i of [2, 3, 4]) expect((await g.search(vs[i]!, 1))[0]!.key).toBe(`k${i}`);
    expect((await g.search(vs[5]!, 2)).map((h) => h.key).sort()).toEqual(['k1', 'k5']);
    g.clear();
    expect(await g.search(vs[1]!, 1)).toEqual([]);
  });

  it('a change during a search leaves that search a consistent snapshot', async () => {
    const g = new QuantisedGallery(32);
    const vs = Array.from({ length: 200 }, (_, i) => gaussian(32, i + 1));
    vs.forEach((v, i) => g.put(`k${i}`, 'chip', v));
    const running = g.search(vs[150]!, 1);
    for (let i = 0; i < 100; i++) g.remove(`k${i}`);
    expect((await running)[0]!.key).toBe('k150');
    expect((await g.search(vs[150]!, 1))[0]!.key).toBe('k150');
  });

  it('refuses a template of another dimension with a typed error', () => {
    expect(() => new QuantisedGallery(16).put('a', 'chip', new Float32Array(8))).toThrow(expect.objectContaining({ code: 'FACE_INDEX_DIM_MISMATCH' }));
  });
});
