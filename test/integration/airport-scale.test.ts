/**
 * The bag scale: the continuous-output frame parser, and the Scale adapter reading a real byte
 * stream, from the simulated scale over TCP and from a character stream on a named pipe (what a
 * serial device looks like to the adapter), including junk, overload and a line that goes away.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseScaleFrame, ScaleLineSplitter } from '../../app/sites/airport/node/scale/scale-protocol.ts';
import { serialScale } from '../../app/sites/airport/node/scale/serial-scale.ts';
import { scaleFrame, startScaleSim, type ScaleSim } from '../../app/sites/airport/sim/scale-sim.ts';

describe('continuous-output frames', () => {
  it.each([
    ['ST,GS,+  12.34kg', { kg: 12.34, stable: true, mode: 'gross' }],
    ['US,NT,-0000.50kg', { kg: -0.5, stable: false, mode: 'net' }],
    ['ST,GS,+   1500 g', { kg: 1.5, stable: true, mode: 'gross' }],
    ['ST,GS,+  44.09lb', { kg: 19.999, stable: true, mode: 'gross' }],
  ])('reads %s', (frame, reading) => {
    expect(parseScaleFrame(frame)).toEqual(reading);
  });

  it('matches what the simulator sends', () => {
    expect(scaleFrame(12.34, true)).toBe('ST,GS,+  12.34kg');
    expect(parseScaleFrame(scaleFrame(27.3, false))).toEqual({ kg: 27.3, stable: false, mode: 'gross' });
  });

  it.each(['', 'hello', 'ST,GS,+12.34', 'XX,GS,+  12.34kg', 'ST,GS,+  12.34oz', 'ST,GS,  12.34kg', 'ST,GS,+ 1.2.3kg', '\u0000\u00ff'])('refuses %j as SCALE_BAD_FRAME', (junk) => {
    expect(() => parseScaleFrame(junk)).toThrow(expect.objectContaining({ code: 'SCALE_BAD_FRAME' }));
  });

  it('reports overload as such', () => {
    expect(() => parseScaleFrame('OL,GS,+9999.99kg')).toThrow(expect.objectContaining({ code: 'SCALE_OVERLOAD' }));
  });

  it('splits a byte stream on any line end, across chunks, and refuses a line that never ends', () => {
    const s = new ScaleLineSplitter();
    expect(s.push(Buffer.from('ST,GS,+  1.00kg\r\nST,GS'))).toEqual(['ST,GS,+  1.00kg']);
    expect(s.push(Buffer.from(',+  2.00kg\nUS,GS,+  3.00kg\r'))).toEqual(['ST,GS,+  2.00kg', 'US,GS,+  3.00kg']);
    expect(() => s.push(Buffer.alloc(100, 0x41))).toThrow(expect.objectContaining({ code: 'SCALE_FRAME_TOO_LONG' }));
  });
});

describe('the Scale adapter over TCP (the simulated scale)', () => {
  let sim: ScaleSim;
  afterEach(async () => sim?.close());

  it('waits for the load to settle, then gives the stable weight', async () => {
    sim = await startScaleSim({ kg: 0, settleMs: 300 });
    const scale = serialScale({ kind: 'tcp', host: sim.host, port: sim.port });
    const t0 = Date.now();
    sim.setKg(18.4);
    expect(await scale.stableWeight({ minKg: 0.5, timeoutMs: 5000 })).toEqual({ kg: 18.4, stable: true });
    // Unstable frames for 300 ms, then three agreeing stable ones at 50 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  });

  it('times out on an empty scale, and can be cancelled', async () => {
    sim = await startScaleSim({ kg: 0.1 });
    const scale = serialScale({ kind: 'tcp', host: sim.host, port: sim.port });
    await expect(scale.stableWeight({ minKg: 0.5, timeoutMs: 400 })).rejects.toMatchObject({ code: 'SCALE_TIMEOUT' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(scale.stableWeight({ minKg: 0.5, timeoutMs: 5000, signal: ac.signal })).rejects.toMatchObject({ code: 'SCALE_CANCELLED' });
  });
});

describe('the Scale adapter against what real lines do wrong', () => {
  let server: Server | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'airport-scale-'));
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A TCP "scale" that writes `lines` every 20 ms, then optionally hangs up. */
  async function fakeScale(lines: string[], hangUpAfter?: number): Promise<number> {
    server = createServer((socket) => {
      socket.on('error', () => undefined);
      let i = 0;
      const t = setInterval(() => {
        if (hangUpAfter !== undefined && i >= hangUpAfter) {
          clearInterval(t);
          socket.end();
          return;
        }
        socket.write(lines[i++ % lines.length]!);
      }, 20);
      socket.on('close', () => clearInterval(t));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    return (server.address() as { port: number }).port;
  }

  it('gives up on a line of junk with SCALE_FAULT naming what came', async () => {
    const port = await fakeScale(['garbage at the wrong speed\r\n']);
    await expect(serialScale({ kind: 'tcp', host: '127.0.0.1', port }).stableWeight({ minKg: 0.5, timeoutMs: 3000 })).rejects.toMatchObject({
      code: 'SCALE_FAULT', message: expect.stringContaining('garbage at the wrong'),
    });
  });

  it('charges nothing for a swinging bag: stable frames must agree', async () => {
    const port = await fakeScale(['ST,GS,+  20.00kg\r\n', 'ST,GS,+  21.00kg\r\n']);
    await expect(serialScale({ kind: 'tcp', host: '127.0.0.1', port }).stableWeight({ minKg: 0.5, timeoutMs: 500 })).rejects.toMatchObject({ code: 'SCALE_TIMEOUT' });
  });

  it('says overload when the scale keeps saying it, and fault when the line closes or cannot open', async () => {
    const over = await fakeScale(['OL,GS,+9999.99kg\r\n']);
    await expect(serialScale({ kind: 'tcp', host: '127.0.0.1', port: over }).stableWeight({ minKg: 0.5, timeoutMs: 300 })).rejects.toMatchObject({ code: 'SCALE_OVERLOAD' });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const closing = await fakeScale(['US,GS,+  3.00kg\r\n'], 3);
    await expect(serialScale({ kind: 'tcp', host: '127.0.0.1', port: closing }).stableWeight({ minKg: 0.5, timeoutMs: 3000 })).rejects.toMatchObject({ code: 'SCALE_FAULT' });
    await expect(serialScale({ kind: 'device', path: join(dir, 'no-such-tty') }).stableWeight({ minKg: 0.5, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'SCALE_FAULT' });
  });

  it('reads a character device (a named pipe standing in for /dev/ttyUSB0)', async () => {
    const fifo = join(dir, 'ttyFAKE0');
    execFileSync('mkfifo', [fifo]);
    const reading = serialScale({ kind: 'device', path: fifo }).stableWeight({ minKg: 0.5, timeoutMs: 3000 });
    const out = createWriteStream(fifo);
    // The adapter closes its end once it has a stable weight: the writer must not fail the run then.
    out.on('error', () => undefined);
    const written = new Promise<void>((resolve) => out.write('ST,GS,+  0.00kg\r\nUS,GS,+  9.80kg\r\nST,GS,+  9.85kg\r\nST,GS,+  9.86kg\r\nST,GS,+  9.85kg\r\n', () => resolve()));
    expect(await reading).toEqual({ kg: 9.85, stable: true });
    // Closed only once its write is done: destroying it with the write still pending threw ERR_STREAM_DESTROYED outside the test.
    await written;
    await new Promise<void>((resolve) => out.end(() => resolve()));
  });
});
