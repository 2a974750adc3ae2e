/**
 * Face templates as 8-bit integers for 1:N search: a quarter of float32's bytes per query, which is
 * what a search over many templates is bound by. Each template is L2-normalised, then scaled so its
 * largest component is ±127 and rounded; the scale is kept beside it, so a cosine is
 * `scaleRow · scaleQuery · Σ qRow·qQuery`. Rounding moves each component by at most half a step, so
 * a score moves by roughly √dim · step² / 4 ≈ 10⁻⁴ for 128-d unit vectors (measured in
 * test/unit/face-quantise.test.ts and bench:gate against float32).
 */

/** `v` scaled to unit length (a zero vector stays zero). */
export function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Float32Array.from(v, (x) => x * inv);
}

/** The step that puts the largest component at ±`levels`. */
function scaleOf(u: Float32Array, levels = 127): number {
  let max = 0;
  for (let i = 0; i < u.length; i++) max = Math.max(max, Math.abs(u[i]!));
  return max > 0 ? max / levels : 1;
}

/** Writes the unit template into `out` at `offset` as signed bytes; returns its scale. */
export function quantiseRow(v: Float32Array, out: Int8Array, offset: number): number {
  const u = unit(v);
  const s = scaleOf(u);
  for (let i = 0; i < u.length; i++) out[offset + i] = Math.round(u[i]! / s);
  return s;
}

/** The query as signed bytes within ±`levels` (a kernel may need fewer than 127) and its scale. */
export function quantiseQuery(v: Float32Array, levels = 127): { readonly q: Int8Array; readonly scale: number } {
  const u = unit(v);
  const scale = scaleOf(u, levels);
  return { q: Int8Array.from(u, (x) => Math.round(x / scale)), scale };
}

/** The cosine one quantised row gives against a quantised query (the reference the fast kernel must equal). */
export function quantisedCosine(row: Int8Array, rowScale: number, query: { q: Int8Array; scale: number }): number {
  let dot = 0;
  for (let i = 0; i < query.q.length; i++) dot += row[i]! * query.q[i]!;
  return dot * rowScale * query.scale;
}
