/**
 * The continuous output of a bench scale's indicator, the format most of them send down an RS-232
 * line (A&D, CAS and their clones), one frame per reading, several a second:
 *
 *   ST,GS,+  12.34kg\r\n      status (ST stable, US unstable, OL overload), mode (GS gross,
 *   US,NT,-0000.50kg\r\n      NT net), signed value padded with spaces or zeros, unit (kg, lb, g)
 *
 * `ScaleLineSplitter` cuts the byte stream into frames; `parseScaleFrame` reads one. Junk is a typed
 * SCALE_BAD_FRAME naming what was wrong; a line that never ends is SCALE_FRAME_TOO_LONG.
 */
import { AirportError } from '../../common/ports.ts';
import type { WeightReading } from '../../common/ports.ts';

export interface ScaleFrame extends WeightReading {
  readonly mode: 'gross' | 'net';
}

const KG: Record<string, number> = { kg: 1, g: 0.001, lb: 0.45359237 };
/** A frame is about 17 characters; anything this long without a line end is not this protocol. */
export const MAX_FRAME = 64;

export function parseScaleFrame(line: string): ScaleFrame {
  const m = /^(ST|US|OL),(GS|NT),([+-])([ 0-9]*[0-9](?:\.[0-9]+)?)[ ]*(kg|lb|g)$/.exec(line);
  if (!m) {
    const shown = line.replace(/[^\x20-\x7e]/g, '?').slice(0, 24);
    throw new AirportError('SCALE_BAD_FRAME', `scale sent "${shown}", not "ST,GS,+  12.34kg"`);
  }
  if (m[1] === 'OL') throw new AirportError('SCALE_OVERLOAD', 'the scale is overloaded');
  const value = Number(m[4]!.replace(/ /g, ''));
  const kg = (m[3] === '-' ? -value : value) * KG[m[5]!]!;
  return { kg: Math.round(kg * 1000) / 1000, stable: m[1] === 'ST', mode: m[2] === 'GS' ? 'gross' : 'net' };
}

/** Cuts a byte stream into frames on CR, LF or CRLF. */
export class ScaleLineSplitter {
  private pending = '';

  /** The complete frames in `chunk` (ASCII), keeping an unfinished one for the next chunk. */
  push(chunk: Uint8Array): string[] {
    this.pending += Buffer.from(chunk).toString('latin1');
    const parts = this.pending.split(/\r\n|\r|\n/);
    this.pending = parts.pop()!;
    if (this.pending.length > MAX_FRAME) {
      this.pending = '';
      throw new AirportError('SCALE_FRAME_TOO_LONG', `no line end within ${MAX_FRAME} bytes: wrong speed or not a continuous-output scale`);
    }
    return parts.filter((p) => p !== '');
  }
}
