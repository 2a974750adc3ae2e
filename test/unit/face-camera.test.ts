import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../app/platform/camera/camera.ts';
import { FileFrameSource, splitMjpeg } from '../../app/platform/camera/file-source.ts';
import { RendererFrameSource } from '../../app/platform/camera/renderer-source.ts';

const jpeg = (n: number) => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, n, n, 0xff, 0xd9]);
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('renderer frame source', () => {
  it('drops frames faster than maxFps and hands out only the newest', async () => {
    let t = 0;
    const src = new RendererFrameSource(5, () => t);
    expect(src.pushFrame(jpeg(1))).toBe(true);
    t = 100;
    expect(src.pushFrame(jpeg(2))).toBe(false); // 10 fps > 5 fps
    t = 250;
    expect(src.pushFrame(png)).toBe(true);
    const f = await src.nextFrame(new AbortController().signal, 10);
    expect(Array.from(f!)).toEqual(Array.from(png));
    expect(await src.nextFrame(new AbortController().signal, 10)).toBeUndefined();
  });
  it('delivers a frame pushed while a reader waits; abort ends the wait', async () => {
    let t = 0;
    const src = new RendererFrameSource(30, () => t);
    const waiting = src.nextFrame(new AbortController().signal, 1000);
    src.pushFrame(jpeg(7));
    expect((await waiting)![4]).toBe(7);
    const ac = new AbortController();
    const w2 = src.nextFrame(ac.signal, 10_000);
    ac.abort();
    expect(await w2).toBeUndefined();
    t = 1000;
    src.close();
    expect(src.pushFrame(jpeg(8))).toBe(false);
  });
  it('rejects non-images and oversize frames with typed errors', () => {
    const src = new RendererFrameSource(5);
    expect(() => src.pushFrame(Uint8Array.from([1, 2, 3, 4]))).toThrow(expect.objectContaining({ code: 'CAMERA_FRAME_NOT_IMAGE' }));
    const big = new Uint8Array(MAX_FRAME_BYTES + 1);
    big.set(jpeg(0));
    expect(() => src.pushFrame(big)).toThrow(expect.objectContaining({ code: 'CAMERA_FRAME_TOO_LARGE' }));
  });
});

describe('file frame source', () => {
  it('plays a folder in name order and loops; splits MJPEG into frames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cam-'));
    writeFileSync(join(dir, 'b.jpg'), jpeg(2));
    writeFileSync(join(dir, 'a.jpg'), jpeg(1));
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const src = new FileFrameSource(dir);
    const s = new AbortController().signal;
    const seq = [];
    for (let i = 0; i < 3; i++) seq.push((await src.nextFrame(s, 10))![4]);
    expect(seq).toEqual([1, 2, 1]);
    const mj = join(dir, 'clip.mjpeg');
    writeFileSync(mj, Buffer.concat([jpeg(1), jpeg(2), jpeg(3)]));
    expect(new FileFrameSource(mj).frameCount).toBe(3);
    expect(splitMjpeg(Buffer.concat([jpeg(4), jpeg(5)])).map((f) => f[4])).toEqual([4, 5]);
  });
  it('names a missing or empty source', () => {
    expect(() => new FileFrameSource('/nonexistent/cam')).toThrow(expect.objectContaining({ code: 'CAMERA_SOURCE_NOT_FOUND' }));
    expect(() => new FileFrameSource(mkdtempSync(join(tmpdir(), 'cam-')))).toThrow(expect.objectContaining({ code: 'CAMERA_SOURCE_EMPTY' }));
  });
});
