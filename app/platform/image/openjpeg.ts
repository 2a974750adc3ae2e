/**
 * JPEG 2000 through OpenJPEG compiled to WebAssembly (@cornerstonejs/codec-openjpeg): sharp/libvips
 * cannot decode JPEG 2000, and many passports store DG2 portraits that way. The module is loaded
 * once per process; its console output is silenced (it would otherwise print decoder chatter).
 */
import { createRequire } from 'node:module';
import { KioskError } from '../../core/errors.ts';

interface FrameInfo { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean }
interface J2KDecoder { getEncodedBuffer(n: number): Uint8Array; decode(): void; getFrameInfo(): FrameInfo; getDecodedBuffer(): Uint8Array; delete?(): void }
interface J2KEncoder {
  getDecodedBuffer(f: FrameInfo & { isUsingColorTransform: boolean }): Uint8Array;
  setQuality(lossless: boolean, step: number): void; encode(): void; getEncodedBuffer(): Uint8Array; delete?(): void;
}
interface OpenJpegModule { J2KDecoder: new () => J2KDecoder; J2KEncoder: new () => J2KEncoder }

let modulePromise: Promise<OpenJpegModule> | undefined;

function openjpeg(): Promise<OpenJpegModule> {
  if (!modulePromise) {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (o: object) => Promise<OpenJpegModule>;
    modulePromise = factory({ print: () => {}, printErr: () => {} });
  }
  return modulePromise;
}

/**
 * Drops the WASM instance after a failed decode: OpenJPEG can leave its heap corrupt on a malformed
 * codestream (the fuzzer found delete() then faulting with "memory access out of bounds"), and a
 * corrupt heap must not decode the next portrait. The next decode instantiates a fresh module.
 */
function discardInstance(): void {
  modulePromise = undefined;
}

export interface RawImage {
  readonly width: number;
  readonly height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA) interleaved 8-bit samples. */
  readonly channels: number;
  readonly data: Uint8Array;
}

/** More tiles than any portrait needs; each costs the decoder bookkeeping. */
const MAX_TILES = 1024;

const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

/**
 * The raw codestream of a JPEG 2000 image. Passports usually store a JP2 file (ISO 15444-1 box
 * structure) while the WASM decoder reads codestreams, so we unwrap the 'jp2c' box ourselves.
 */
export function jpeg2000Codestream(bytes: Uint8Array): Uint8Array {
  if (!JP2_SIGNATURE.every((b, i) => bytes[i] === b)) return bytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  while (p + 8 <= bytes.length) {
    let length = dv.getUint32(p);
    const type = String.fromCharCode(...bytes.subarray(p + 4, p + 8));
    let header = 8;
    if (length === 1) {
      if (p + 16 > bytes.length) break;
      length = Number(dv.getBigUint64(p + 8));
      header = 16;
    } else if (length === 0) {
      length = bytes.length - p; // box runs to the end of the file
    }
    if (length < header || p + length > bytes.length) break;
    if (type === 'jp2c') return bytes.subarray(p + header, p + length);
    p += length;
  }
  throw new KioskError('IMAGE_DECODE_FAILED', 'JP2 file has no readable codestream box');
}

export interface DeclaredSize {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  readonly tiles: number;
}

/**
 * What a codestream's SIZ marker segment (ISO 15444-1 A.5.1, right after SOC) declares: image size
 * (Xsiz−XOsiz × Ysiz−YOsiz), component count and tile count. Read before OpenJPEG sees the bytes:
 * OpenJPEG allocates for the declared size, so 195 bytes declaring 8000×8000 cost seconds and GBs.
 */
export function jpeg2000DeclaredSize(codestream: Uint8Array): DeclaredSize {
  const b = codestream;
  if (b.length < 42 || b[0] !== 0xff || b[1] !== 0x4f || b[2] !== 0xff || b[3] !== 0x51) {
    throw new KioskError('IMAGE_DECODE_FAILED', 'JPEG 2000 codestream does not start with SOC and SIZ');
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const [xsiz, ysiz, xo, yo, xt, yt, xto, yto] = [8, 12, 16, 20, 24, 28, 32, 36].map((o) => dv.getUint32(o));
  const width = xsiz! - xo!;
  const height = ysiz! - yo!;
  if (width <= 0 || height <= 0 || xt === 0 || yt === 0 || xto! > xo! || yto! > yo!) {
    throw new KioskError('IMAGE_DECODE_FAILED', 'JPEG 2000 SIZ declares an impossible image or tile grid');
  }
  const tiles = Math.ceil((xsiz! - xto!) / xt!) * Math.ceil((ysiz! - yto!) / yt!);
  return { width, height, components: dv.getUint16(40), tiles };
}

/**
 * Decodes a JPEG 2000 codestream or JP2 file to interleaved 8-bit samples, refusing
 * (PORTRAIT_TOO_LARGE) one whose header declares more than `maxPixels`, more than 4 components or
 * an absurd tile grid, before the decoder allocates anything.
 */
export async function decodeJpeg2000(input: Uint8Array, maxPixels: number): Promise<RawImage> {
  const bytes = jpeg2000Codestream(input);
  const size = jpeg2000DeclaredSize(bytes);
  if (size.width * size.height > maxPixels || size.components > 4 || size.tiles > MAX_TILES) {
    throw new KioskError('PORTRAIT_TOO_LARGE', `JPEG 2000 declares ${size.width}×${size.height}, ${size.components} components, ${size.tiles} tiles (at most ${maxPixels} pixels)`, {
      width: size.width, height: size.height,
    });
  }
  const m = await openjpeg();
  const dec = new m.J2KDecoder();
  try {
    dec.getEncodedBuffer(bytes.length).set(bytes);
    dec.decode();
    const f = dec.getFrameInfo();
    if (f.bitsPerSample > 8 || f.isSigned) throw new KioskError('IMAGE_UNSUPPORTED', `JPEG 2000 with ${f.bitsPerSample}-bit ${f.isSigned ? 'signed ' : ''}samples is not supported`);
    return { width: f.width, height: f.height, channels: f.componentCount, data: new Uint8Array(dec.getDecodedBuffer()) };
  } catch (e) {
    discardInstance();
    if (e instanceof KioskError) throw e;
    throw new KioskError('IMAGE_DECODE_FAILED', 'JPEG 2000 image cannot be decoded');
  } finally {
    try {
      dec.delete?.();
    } catch {
      discardInstance();
    }
  }
}

/** Encodes 8-bit RGB to a JPEG 2000 codestream (reversible 5/3 wavelet; used for test personas). */
export async function encodeJpeg2000(image: RawImage): Promise<Uint8Array> {
  const m = await openjpeg();
  const enc = new m.J2KEncoder();
  try {
    enc.getDecodedBuffer({ width: image.width, height: image.height, bitsPerSample: 8, componentCount: image.channels, isSigned: false, isUsingColorTransform: image.channels === 3 }).set(image.data);
    enc.setQuality(false, 0);
    enc.encode();
    return new Uint8Array(enc.getEncodedBuffer());
  } finally {
    enc.delete?.();
  }
}
