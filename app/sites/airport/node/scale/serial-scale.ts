/**
 * The Scale port over a continuous-output scale: on a serial line read as a character device
 * (`/dev/ttyUSB0`, its speed set by the system, e.g. a udev rule running `stty 9600`), or behind a
 * serial-to-Ethernet converter (TCP). The line is opened for each weighing and closed after it, so
 * a scale unplugged between passengers costs nothing until the next bag.
 *
 * A weight counts once the scale says it is stable and three frames in a row agree within 50 g:
 * a bag still swinging on the belt is never charged.
 */
import { createReadStream } from 'node:fs';
import { connect } from 'node:net';
import type { Readable } from 'node:stream';
import { AirportError, type Scale, type WeightReading } from '../../common/ports.ts';
import { parseScaleFrame, ScaleLineSplitter } from './scale-protocol.ts';

export type ScaleLine = { readonly kind: 'device'; readonly path: string } | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

const AGREEING_FRAMES = 3;
const AGREE_KG = 0.05;
/** This many junk frames in a row and the line is not a scale we understand. */
const MAX_BAD_FRAMES = 10;

function open(line: ScaleLine): Readable {
  if (line.kind === 'device') return createReadStream(line.path, { highWaterMark: 256 });
  return connect({ host: line.host, port: line.port });
}

export function serialScale(line: ScaleLine): Scale {
  return {
    stableWeight({ minKg, timeoutMs, signal }) {
      return new Promise<WeightReading>((resolve, reject) => {
        const stream = open(line);
        const splitter = new ScaleLineSplitter();
        const agreeing: number[] = [];
        let bad = 0;
        let lastProblem: AirportError | undefined;
        const done = (err: AirportError | undefined, reading?: WeightReading) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          stream.removeAllListeners('data');
          stream.on('error', () => undefined);
          stream.destroy();
          if (err) reject(err);
          else resolve(reading!);
        };
        const onAbort = () => done(new AirportError('SCALE_CANCELLED', 'weighing was cancelled'));
        const timer = setTimeout(
          () => done(lastProblem ?? new AirportError('SCALE_TIMEOUT', `no stable weight above ${minKg} kg within ${timeoutMs} ms`)),
          timeoutMs,
        );
        signal?.addEventListener('abort', onAbort, { once: true });
        stream.on('error', (e: NodeJS.ErrnoException) => done(new AirportError('SCALE_FAULT', `scale line: ${e.code ?? 'error'}`)));
        stream.on('end', () => done(new AirportError('SCALE_FAULT', 'the scale closed the line')));
        stream.on('data', (chunk: Buffer) => {
          let frames: string[];
          try {
            frames = splitter.push(chunk);
          } catch (e) {
            return done(e as AirportError);
          }
          for (const text of frames) {
            let frame;
            try {
              frame = parseScaleFrame(text);
              bad = 0;
            } catch (e) {
              lastProblem = e as AirportError;
              // An overloaded scale is a real reading: say so after the timeout, not at once (the bag may be lifted).
              if (lastProblem.code === 'SCALE_OVERLOAD') continue;
              if (++bad >= MAX_BAD_FRAMES) return done(new AirportError('SCALE_FAULT', lastProblem.message));
              continue;
            }
            if (!frame.stable || frame.kg < minKg) {
              agreeing.length = 0;
              continue;
            }
            if (agreeing.length > 0 && Math.abs(frame.kg - agreeing[0]!) > AGREE_KG) agreeing.length = 0;
            agreeing.push(frame.kg);
            if (agreeing.length >= AGREEING_FRAMES) return done(undefined, { kg: agreeing.at(-1)!, stable: true });
          }
        });
      });
    },
    async close() {
      // Nothing stays open between weighings.
    },
  };
}
