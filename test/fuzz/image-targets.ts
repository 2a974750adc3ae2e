/**
 * Fuzz targets for the portrait decoder (app/platform/image): JPEG through sharp/libvips and
 * JPEG 2000 through OpenJPEG/WASM, fed real chip portraits with their headers edited. Besides byte
 * edits, the declared image size is set to arbitrary values (up to 65535 x 65535 for JPEG, 2^32 - 1
 * for JPEG 2000): a decoder must refuse or finish such an image within the per-input time limit,
 * never hang the kiosk or exhaust its memory on a size the data cannot back.
 */
import fc from 'fast-check';
import { parseDg2, type ImageFormat } from '../../app/core/icao/lds/dg2.ts';
import type { VerifiedPortrait } from '../../app/core/icao/reader-document.ts';
import { decodePortrait } from '../../app/platform/image/decode-portrait.ts';
import { jpeg2000Codestream } from '../../app/platform/image/openjpeg.ts';
import { mutated } from './generators.ts';
import type { FuzzTarget } from './targets.ts';

/** Bytes past which edits rarely matter: markers, quantisation and Huffman tables, SIZ/COD. */
const HEADER_BYTES = 700;
/**
 * Each input is a full decode: a few milliseconds each (sharp; OpenJPEG/WASM behind the size cap),
 * so these counts keep each image target near 20 s of the CI fuzz step.
 */
const IMAGE_RUNS: Record<ImageFormat, { runs: number; why: string }> = {
  jpeg: { runs: 10_000, why: 'each input is a full JPEG decode (sharp)' },
  jpeg2000: { runs: 5_000, why: 'each input is a full JPEG 2000 decode (OpenJPEG/WASM)' },
};

/** Offset of a JPEG SOFn segment's height field (FFC0..FFCF except C4/C8/CC), or -1. */
function jpegSizeAt(b: Uint8Array): number {
  for (let i = 2; i + 9 < b.length;) {
    if (b[i] !== 0xff) return -1;
    const m = b[i + 1]!;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return i + 5;
    i += 2 + ((b[i + 2]! << 8) | b[i + 3]!);
  }
  return -1;
}

/** Offset of a JPEG 2000 codestream's SIZ Xsiz field (FF4F FF51 Lsiz Rsiz Xsiz Ysiz …), or -1. */
function j2kSizeAt(b: Uint8Array): number {
  const cs = jpeg2000Codestream(b);
  const start = cs.byteOffset - b.byteOffset;
  return cs[0] === 0xff && cs[1] === 0x4f && cs[2] === 0xff && cs[3] === 0x51 ? start + 8 : -1;
}

/** The image with its declared width and height replaced. */
function withDeclaredSize(format: ImageFormat, b: Uint8Array, w: number, h: number): Uint8Array {
  const out = b.slice();
  const dv = new DataView(out.buffer);
  if (format === 'jpeg') {
    const at = jpegSizeAt(out);
    if (at >= 0) {
      dv.setUint16(at, h & 0xffff);
      dv.setUint16(at + 2, w & 0xffff);
    }
  } else {
    const at = j2kSizeAt(out);
    if (at >= 0) {
      dv.setUint32(at, w >>> 0);
      dv.setUint32(at + 4, h >>> 0);
    }
  }
  return out;
}

function imageTarget(format: ImageFormat, seeds: Uint8Array[]): FuzzTarget {
  const max = format === 'jpeg' ? 0xffff : 0xffffffff;
  // Portrait-sized, large enough to cost seconds and gigabytes if decoded, and anything.
  const size = fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 4096, max: 16384 }), fc.integer({ min: 0, max }));
  return {
    name: format === 'jpeg' ? 'portrait-jpeg' : 'portrait-jp2',
    async: true,
    maxRuns: IMAGE_RUNS[format],
    arbitrary: fc.oneof(
      { weight: 3, arbitrary: mutated(seeds, HEADER_BYTES) },
      { weight: 1, arbitrary: mutated(seeds) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...seeds), size, size).map(([b, w, h]) => withDeclaredSize(format, b, w, h)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    ),
    // The decoder only takes a portrait that passive authentication found signed; a forger with a
    // DSC of their own can sign any bytes, so the fuzzer hands it what such a forger could. (That
    // unsigned bytes never get here is tested in test/security/pa-portrait-bomb.test.ts.)
    run: ((b: Uint8Array) => decodePortrait({ format, width: 0, height: 0, bytes: b } as VerifiedPortrait)) as (x: never) => unknown,
  };
}

/** One target per portrait format found in the DG2 seeds. */
export function imageTargets(dg2Files: readonly Uint8Array[]): FuzzTarget[] {
  const faces = dg2Files.flatMap((d) => parseDg2(d).faces);
  return (['jpeg', 'jpeg2000'] as const)
    .map((format) => ({ format, seeds: faces.filter((f) => f.format === format).map((f) => f.image) }))
    .filter((s) => s.seeds.length > 0)
    .map((s) => imageTarget(s.format, s.seeds));
}
