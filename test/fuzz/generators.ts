/**
 * Input generators shared by the fuzz targets: byte mutations of real files (so parsers get past
 * their first checks), random bytes, and text edits over a field's alphabet.
 */
import fc from 'fast-check';
import { concatBytes } from '../../app/core/icao/tlv.ts';

/** One byte-level edit: flip a bit, overwrite, insert, delete, or truncate. */
export const mutationOp = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
export type MutationOp = typeof mutationOp extends fc.Arbitrary<infer T> ? T : never;

/** Applies edits to a copy; `within` keeps them in the first bytes (headers, where sizes live). */
export function applyOps(seed: Uint8Array, ops: readonly MutationOp[], within = Infinity): Uint8Array {
  // Typed-array edits (no Array.from): seeds include 60 KB portraits.
  let b: Uint8Array = seed.slice();
  for (const o of ops) {
    const span = Math.min(b.length, within);
    const at = span ? o.at % span : 0;
    if (o.kind === 'flip') b[at] = (b[at] ?? 0) ^ (1 << o.bit);
    else if (o.kind === 'set') b[at] = o.value;
    else if (o.kind === 'insert') b = concatBytes(b.subarray(0, at), o.bytes, b.subarray(at));
    else if (o.kind === 'delete') b = concatBytes(b.subarray(0, at), b.subarray(at + o.count));
    else b = b.slice(0, at);
  }
  return b;
}

/** Byte-level mutations of a real file: flips, overwrites, inserts, deletes, truncation. */
export function mutated(seeds: readonly Uint8Array[], within = Infinity): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutationOp, { minLength: 1, maxLength: 4 }))
    .map(([i, ops]) => applyOps(seeds[i]!, ops, within));
}

/** Random bytes that at least start with the file's tag, so parsers get past the first check. */
export const tagged = (tag: number) => fc.uint8Array({ maxLength: 300 }).map((b) => Uint8Array.from([tag, ...b]));
export const bytesFor = (seeds: Uint8Array[], tag?: number) =>
  fc.oneof({ weight: 3, arbitrary: mutated(seeds) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) }, ...(tag === undefined ? [] : [{ weight: 1, arbitrary: tagged(tag) }]));

/** Text mutations: character edits of a real string, plus random strings over the right alphabet. */
export function textFor(seeds: string[], alphabet: string): fc.Arbitrary<string> {
  const ch = fc.constantFrom(...alphabet.split(''));
  const edit = fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), ch, fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 4 })).map(([i, eds]) => {
    const s = seeds[i]!.split('');
    for (const [at, c, kind] of eds) {
      const p = s.length ? at % s.length : 0;
      if (kind === 0) s[p] = c;
      else if (kind === 1) s.splice(p, 0, c);
      else s.splice(p, 1);
    }
    return s.join('');
  });
  return fc.oneof({ weight: 3, arbitrary: edit }, { weight: 1, arbitrary: fc.string({ unit: ch, maxLength: 120 }) }, { weight: 1, arbitrary: fc.string({ maxLength: 120, unit: 'grapheme' }) });
}

