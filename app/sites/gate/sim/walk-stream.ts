/**
 * A camera stream of people walking up to the door terminal, for the demo and bench:gate: each
 * walk is a row of 640×480 frames in which a portrait grows from about 2 m away (a face some 60 px
 * wide) to about 0.5 m (some 200 px), drifting across the frame, with the light changing a little;
 * empty frames of the wall lie between walks. Deterministic (sharp's output is).
 *
 *   node --import tsx app/sites/gate/sim/walk-stream.ts   # writes kiosk-config/demo-media/gate-walk.mjpeg
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { PORTRAIT_JPEG_PATH } from '../../../sim/personas/portraits.ts';
import { BLOCKLIST_PHOTO_PATH } from './demo-factory.ts';

const W = 640, H = 480;
const WALL = { r: 196, g: 190, b: 178 };

export interface Walker {
  /** A head-and-shoulders photo. */
  readonly photo: Uint8Array;
  /** The face's width as a fraction of the photo's width (to size the walk in face pixels). */
  readonly faceFraction: number;
}

/** The demo's two walkers: the enrolled worker (the demo card's face) and the face on the blocklist. */
export const DEMO_WALKERS: Record<'worker' | 'blocked', Walker> = {
  worker: { photo: new Uint8Array(readFileSync(PORTRAIT_JPEG_PATH)), faceFraction: 0.42 },
  blocked: { photo: new Uint8Array(readFileSync(BLOCKLIST_PHOTO_PATH)), faceFraction: 0.45 },
};

async function frame(w: Walker, faceWidth: number, centreX: number, light: number): Promise<Uint8Array> {
  const meta = await sharp(w.photo).metadata();
  const width = Math.max(8, Math.round(faceWidth / w.faceFraction));
  const person = await sharp(w.photo).resize(width).modulate({ brightness: light }).png().toBuffer();
  const height = Math.round((meta.height! * width) / meta.width!);
  const left = Math.round(centreX - width / 2);
  const top = Math.round(H * 0.18 - height * 0.05);
  // What lies inside the frame of the person's picture (they may be cut at an edge or the bottom).
  const x0 = Math.max(0, -left), y0 = Math.max(0, -top);
  const cw = Math.min(width - x0, W - Math.max(0, left)), ch = Math.min(height - y0, H - Math.max(0, top));
  const visible = await sharp(person).extract({ left: x0, top: y0, width: cw, height: ch }).toBuffer();
  const out = await sharp({ create: { width: W, height: H, channels: 3, background: WALL } })
    .composite([{ input: visible, left: Math.max(0, left), top: Math.max(0, top) }])
    .jpeg({ quality: 85 })
    .toBuffer();
  return new Uint8Array(out);
}

/** One walk: `steps` frames from about 60 px to about 200 px of face. */
export async function walk(w: Walker, steps = 10): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 1 : i / (steps - 1);
    frames.push(await frame(w, 60 + t * 140, W * (0.42 + 0.12 * t), 0.95 + 0.1 * Math.sin(i)));
  }
  return frames;
}

export async function emptyFrames(n: number): Promise<Uint8Array[]> {
  const wall = new Uint8Array(await sharp({ create: { width: W, height: H, channels: 3, background: WALL } }).jpeg({ quality: 85 }).toBuffer());
  return Array.from({ length: n }, () => wall);
}

/** The demo stream: the worker walks up, the wall, the blocklisted face walks up, the wall. */
export async function demoStream(): Promise<Uint8Array[]> {
  return [...(await walk(DEMO_WALKERS.worker)), ...(await emptyFrames(6)), ...(await walk(DEMO_WALKERS.blocked, 8)), ...(await emptyFrames(6))];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('../../../../kiosk-config/demo-media/gate-walk.mjpeg', import.meta.url));
  const frames = await demoStream();
  writeFileSync(out, Buffer.concat(frames.map((f) => Buffer.from(f))));
  console.log(`${frames.length} frames → ${out}`);
}
