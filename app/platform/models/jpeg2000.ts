import { createRequire } from 'node:module';
import { KioskError } from '../../core/errors.ts';
import type { RgbImage } from './image.ts';

/** JPEG 2000 codec (OpenJPEG compiled to WebAssembly), for chip portraits (DG2) and chip-photo simulation. */

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}
interface OpenJpeg {
  J2KDecoder: new () => {
    getEncodedBuffer(len: number): Uint8Array;
    decode(): void;
    getDecodedBuffer(): Uint8Array;
    getFrameInfo(): FrameInfo;
    delete(): void;
  };
  J2KEncoder: new () => {
    getDecodedBuffer(info: FrameInfo): Uint8Array;
    setQuality(lossless: boolean, quality: number): void;
    encode(): void;
    getEncodedBuffer(): Uint8Array;
    delete(): void;
  };
}

let codec: Promise<OpenJpeg> | undefined;
function openjpeg(): Promise<OpenJpeg> {
  const require = createRequire(import.meta.url);
  // OpenJPEG's [INFO] chatter goes nowhere: it says nothing useful and logs stay quiet.
  const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (m: object) => Promise<OpenJpeg>;
  codec ??= factory({ print: () => {}, printErr: () => {} });
  return codec;
}

/** JP2 file signature box, or a bare J2K codestream (SOC + SIZ markers). */
export function isJpeg2000(b: Uint8Array): boolean {
  const jp2 = [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20];
  if (jp2.every((v, i) => b[i] === v)) return true;
  return b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51;
}

export async function decodeJpeg2000(bytes: Uint8Array): Promise<RgbImage> {
  const lib = await openjpeg();
  const dec = new lib.J2KDecoder();
  try {
    dec.getEncodedBuffer(bytes.length).set(bytes);
    dec.decode();
    const info = dec.getFrameInfo();
    if (info.bitsPerSample > 8) throw new Error(`${info.bitsPerSample}-bit samples`);
    const src = dec.getDecodedBuffer();
    const n = info.width * info.height;
    const data = new Uint8Array(n * 3);
    if (info.componentCount === 1) for (let i = 0; i < n; i++) data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = src[i]!;
    else if (info.componentCount >= 3) for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = src[i * info.componentCount + c]!;
    else throw new Error(`${info.componentCount} components`);
    return { width: info.width, height: info.height, data };
  } catch (e) {
    throw new KioskError('FACE_IMAGE_UNREADABLE', `JPEG 2000 image could not be decoded: ${e instanceof Error ? e.message : e}`);
  } finally {
    dec.delete();
  }
}

/**
 * Lossy (irreversible 9/7 wavelet) J2K codestream. The bundled OpenJPEG build ignores rate control
 * (setCompressionRatio/setQuality change the size by < 1 %, measured), so the caller cannot ask for
 * 10 KB: callers report the size they actually got.
 */
export async function encodeJpeg2000(img: RgbImage): Promise<Uint8Array> {
  const lib = await openjpeg();
  const enc = new lib.J2KEncoder();
  try {
    enc.getDecodedBuffer({ width: img.width, height: img.height, bitsPerSample: 8, componentCount: 3, isSigned: false }).set(img.data);
    enc.setQuality(false, 0);
    enc.encode();
    return Uint8Array.from(enc.getEncodedBuffer());
  } finally {
    enc.delete();
  }
}
