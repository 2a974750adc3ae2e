import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { topMatchAgreement } from '../../app/core/face/evaluation.ts';
import { cosine } from '../../app/core/face/policy.ts';
import { quantisedCosine, quantiseQuery, quantiseRow } from '../../app/core/face/quantise.ts';
import { GalleryKernel } from '../../app/platform/face-index/gallery-kernel.ts';
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
  /** The query's levels the gallery's kernel sums exactly on this CPU (127 with VNNI, else 63). */
  let levels = 0;
  beforeAll(async () => {
    levels = await GalleryKernel.probeQueryLevels();
  });

  it('keep every cosine within 0.005 of float32, for 128-d and 512-d, also with a 7-bit query (kernels without VNNI)', () => {
    for (const [dim, queryLevels] of [[128, 127], [512, 127], [128, 63], [512, 63]] as const) {
      let worst = 0;
      for (let i = 0; i < 300; i++) {
        const a = gaussian(dim, i + 1), b = i % 3 ? gaussian(dim, i + 1000) : near(a, i + 7, 0.3);
        const row = new Int8Array(dim);
        const scale = quantiseRow(a, row, 0);
        worst = Math.max(worst, Math.abs(quantisedCosine(row, scale, quantiseQuery(b, queryLevels)) - cosine(a, b)));
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
      expect(top!.score).toBeCloseTo(quantisedCosine(row, scale, quantiseQuery(probe, levels)), 5);
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

describe('the gallery kernel', () => {
  it('sums the largest query it takes exactly: 127 levels where the CPU has VNNI, 63 where a 16-bit sum would saturate', async () => {
    expect([63, 127]).toContain(await GalleryKernel.probeQueryLevels());
  });

  const dot = (a: Int8Array, ai: number, b: Int8Array, dim: number) => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += a[ai * dim + i]! * b[i]!;
    return s;
  };

  it('scores exactly and ranks the packed templates, leaves skipped ones last, scores those beside; extremes included (no 16-bit saturation)', async () => {
    const dim = 48, count = 37;
    const next = ((s) => () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32))(9);
    const byte = (max: number) => Math.round((next() * 2 - 1) * max);
    const rows = Int8Array.from({ length: count * dim }, (_, i) => (i < 4 * dim ? (i < 2 * dim ? 127 : -127) : byte(127)));
    // Scales of powers of two keep every score an exact float, so the kernel's can be compared exactly.
    const scales = Float32Array.from({ length: count }, (_, i) => 2 ** ((i % 3) - 1));
    const beside = { skip: new Float32Array(count), rows: Int8Array.from({ length: 5 * dim }, (_, i) => (i < dim ? 127 : byte(127))), scales: Float32Array.of(1, 0.5, 2, 1, 1) };
    beside.skip[6] = beside.skip[9] = -Infinity;
    const kernel = await GalleryKernel.create(rows, scales, count, dim);
    const max = kernel.queryLevels;
    try {
      for (const query of [new Int8Array(dim).fill(max), new Int8Array(dim).fill(-max), Int8Array.from({ length: dim }, () => byte(max))]) {
        const want = Array.from({ length: count }, (_, c) => ({ c, s: beside.skip[c] === 0 ? dot(rows, c, query, dim) * scales[c]! * 0.25 : -Infinity }));
        const got = await kernel.search(query, 0.25, count, beside);
        expect([...got.scores]).toEqual(want.map((w) => w.s).sort((a, b) => b - a));
        got.columns.forEach((c, i) => expect(want[c]!.s).toBe(got.scores[i]));
        expect(got.columns.slice(-2).sort()).toEqual([6, 9]);
        expect([...got.beside]).toEqual(Array.from({ length: 5 }, (_, r) => dot(beside.rows, r, query, dim) * beside.scales[r]! * 0.25));
        // All at the extreme: every pair of products is at the most a 16-bit sum can hold without saturating.
        if (query[1] === query[0]) expect(got.scores[got.columns.indexOf(0)]).toBe(127 * query[0]! * dim * scales[0]! * 0.25);
        const top3 = await kernel.search(query, 0.25, 3, { ...beside, rows: new Int8Array(0), scales: new Float32Array(0) });
        expect([...top3.scores]).toEqual([...got.scores.slice(0, 3)]);
        expect(top3.beside.length).toBe(0);
      }
      await expect(kernel.search(new Int8Array(dim).fill(max + 1 > 127 ? -128 : max + 1), 1, 3, beside)).rejects.toThrow(RangeError);
      await expect(kernel.search(new Int8Array(dim), 1, count + 1, beside)).rejects.toThrow(RangeError);
    } finally {
      await kernel.release();
    }
  });
});

describe('a gallery that changes', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** The reference: every template scored one by one, each key once with its best, best first. */
  let levels = 0;
  beforeAll(async () => {
    levels = await GalleryKernel.probeQueryLevels();
  });

  function expected(templates: Map<string, Float32Array>, probe: Float32Array, k: number) {
    const q = quantiseQuery(probe, levels);
    const best = new Map<string, number>();
    for (const [id, v] of templates) {
      const row = new Int8Array(v.length);
      const s = Math.min(1, quantisedCosine(row, quantiseRow(v, row, 0), q));
      const key = id.split('/')[0]!;
      if (s > (best.get(key) ?? -2)) best.set(key, s);
    }
    return [...best.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
  }

  async function expectSame(g: QuantisedGallery, templates: Map<string, Float32Array>, probe: Float32Array, k = 4) {
    const hits = await g.search(probe, k);
    const want = expected(templates, probe, k);
    expect(hits.map((h) => h.key)).toEqual(want.map(([key]) => key));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]![1], 6));
  }

  it('searches changes unpacked until more than maxUnpacked are pending, then packs again; every answer is the gallery as it is', async () => {
    const create = vi.spyOn(GalleryKernel, 'create');
    const dim = 24;
    const g = new QuantisedGallery(dim, 3);
    const templates = new Map<string, Float32Array>();
    const put = (key: string, slot: string, seed: number) => {
      const v = gaussian(dim, seed);
      templates.set(`${key}/${slot}`, v);
      g.put(key, slot, v);
      return v;
    };
    for (let i = 0; i < 40; i++) put(`k${i}`, 'chip', i + 1);
    await expectSame(g, templates, gaussian(dim, 3));
    expect(create).toHaveBeenCalledTimes(1);
    // Three changes: a new key, a replaced template, a removal; the new and replaced ones must win their probes.
    const fresh = put('new', 'chip', 500);
    const replaced = put('k7', 'chip', 501);
    g.remove('k9');
    templates.delete('k9/chip');
    for (const probe of [fresh, replaced, gaussian(dim, 9 + 1)]) await expectSame(g, templates, probe);
    expect((await g.search(fresh, 1))[0]!.key).toBe('new');
    expect(create).toHaveBeenCalledTimes(1);
    // A fourth: the next search packs the gallery as it is now.
    const live = put('k3', 'live', 502);
    await expectSame(g, templates, live);
    expect(create).toHaveBeenCalledTimes(2);
    expect(create.mock.calls[1]![2]).toBe(41); // every template, packed
  });

  it('agrees with one-by-one scoring through random puts, replacements, removals and clears', async () => {
    const dim = 20;
    const g = new QuantisedGallery(dim, 6);
    const templates = new Map<string, Float32Array>();
    const next = ((s) => () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32))(77);
    const slots = ['chip', 'live', 'kept'];
    for (let step = 0; step < 400; step++) {
      const key = `k${Math.floor(next() * 50)}`, slot = slots[Math.floor(next() * 3)]!;
      const op = next();
      if (op < 0.6) {
        const v = gaussian(dim, step + 1000);
        g.put(key, slot, v);
        templates.set(`${key}/${slot}`, v);
      } else if (op < 0.8) {
        const gone = [...templates.keys()].filter((id) => id === `${key}/${slot}`);
        expect(g.remove(key, slot)).toBe(gone.length);
        templates.delete(`${key}/${slot}`);
      } else if (op < 0.995) {
        const gone = [...templates.keys()].filter((id) => id.startsWith(`${key}/`));
        expect(g.remove(key)).toBe(gone.length);
        for (const id of gone) templates.delete(id);
      } else {
        g.clear();
        templates.clear();
      }
      if (step % 3 === 0) {
        const known = [...templates.values()];
        const probe = known.length && next() < 0.7 ? near(known[Math.floor(next() * known.length)]!, step, 0.3) : gaussian(dim, step + 5000);
        await expectSame(g, templates, probe, 1 + Math.floor(next() * 6));
      }
    }
    expect(g.size).toBe(templates.size);
  });

  it('a search running while the gallery changes and packs again answers from the gallery as it was', async () => {
    const release = vi.spyOn(GalleryKernel.prototype, 'release');
    const dim = 24;
    const g = new QuantisedGallery(dim, 2);
    const vs = Array.from({ length: 60 }, (_, i) => gaussian(dim, i + 1));
    vs.forEach((v, i) => g.put(`k${i}`, 'chip', v));
    await g.search(vs[0]!, 1);
    const releasedAtStart = release.mock.calls.length; // the CPU's probe may have been released just now
    const released = () => release.mock.calls.length - releasedAtStart;
    const before = g.search(vs[30]!, 3);
    for (let i = 25; i < 35; i++) g.remove(`k${i}`);
    g.put('other', 'chip', vs[30]!.map((x) => -x));
    const after = g.search(vs[30]!, 3);
    // The first packing is retired, but the search started before still uses it.
    expect(released()).toBe(0);
    const [was, is] = await Promise.all([before, after]);
    expect(was[0]).toEqual({ key: 'k30', score: expect.closeTo(1, 2) });
    expect(is.map((h) => h.key)).not.toContain('k30');
    expect(is.map((h) => h.key)).not.toContain('other'); // the negated face scores -1
    expect(released()).toBe(1);
    g.close();
    await vi.waitFor(() => expect(released()).toBe(2));
    expect((await g.search(vs[40]!, 1))[0]!.key).toBe('k40'); // packs again after close
  });

  it('prepare() packs ahead of the first search, and only when something changed', async () => {
    const create = vi.spyOn(GalleryKernel, 'create');
    const g = new QuantisedGallery(16);
    await g.prepare();
    expect(create).not.toHaveBeenCalled(); // nothing to pack
    const v = gaussian(16, 4);
    g.put('a', 'chip', v);
    await g.prepare();
    await g.prepare();
    expect(create).toHaveBeenCalledTimes(1);
    expect((await g.search(v, 1))[0]!.key).toBe('a');
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('does not keep a packing that failed: the next search packs again', async () => {
    const g = new QuantisedGallery(16);
    const v = gaussian(16, 4);
    g.put('a', 'chip', v);
    vi.spyOn(GalleryKernel, 'create').mockRejectedValueOnce(new Error('out of memory'));
    await expect(g.search(v, 1)).rejects.toThrow('out of memory');
    expect((await g.search(v, 1))[0]!.key).toBe('a');
  });
});
