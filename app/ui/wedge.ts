/**
 * Keyboard-wedge scanner capture: a scanner in keyboard mode "types" its code far faster than a
 * person can, and ends with Enter. A burst of keys with short gaps that ends in Enter is a scan;
 * anything slower is a person typing and is left alone.
 */
import { useEffect } from 'preact/hooks';

export interface WedgeOptions {
  /** Longest gap between two keys of one scan. */
  readonly maxGapMs: number;
  /** Shortest text accepted as a scan. */
  readonly minLength: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 60, minLength: 8 };

export class WedgeCapture {
  private buffer = '';
  private lastAt = -Infinity;

  constructor(private readonly onScan: (text: string) => void, private readonly opts: WedgeOptions = DEFAULT_WEDGE) {}

  /** Feed every key event; returns true when the key belonged to a scan (the caller may swallow it). */
  key(key: string, at: number): boolean {
    const gap = at - this.lastAt;
    this.lastAt = at;
    if (gap > this.opts.maxGapMs) this.buffer = '';
    if (key === 'Enter') {
      const text = this.buffer;
      this.buffer = '';
      if (text.length >= this.opts.minLength) {
        this.onScan(text);
        return true;
      }
      return false;
    }
    if (key.length !== 1) return false;
    this.buffer += key;
    return this.buffer.length > 1;
  }
}

/** Listens for wedge scans on the window while `active` (a screen that takes a scan). */
export function useWedgeScan(onScan: (text: string) => void, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const wedge = new WedgeCapture(onScan);
    const onKey = (e: KeyboardEvent) => {
      if (wedge.key(e.key, e.timeStamp)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}
