/**
 * Exponential back-off with full jitter (AWS architecture blog's "full jitter"): the wait before
 * retry n is uniform in [0, min(max, base·2^n)], so kiosks that failed together do not retry together.
 * A server's Retry-After is a floor.
 */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random, floorMs = 0): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry));
  return Math.max(floorMs, Math.floor(random() * ceiling));
}

export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return 0;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}
