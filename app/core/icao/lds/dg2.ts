/**
 * DG2 (ICAO 9303-10 §4.7.2): the facial image in a CBEFF biometric information template
 * (ISO/IEC 19785) holding an ISO/IEC 19794-5:2005 facial record. We take the record header, the
 * per-face image information (type, size) and the image bytes; decoding the image is the
 * platform's job (app/platform/image).
 */
import { ParseError } from '../../errors.ts';
import { concatBytes, decodeSmallInteger, encodeTlv, expectTlv, findTlv, tlvChildren, type Tlv } from '../tlv.ts';
import { LDS_FILES } from './files.ts';

export type ImageFormat = 'jpeg' | 'jpeg2000';

export interface FaceImage {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  /** ISO 19794-5 gender code: 0 unspecified, 1 male, 2 female, 0xFF unknown. */
  readonly gender: number;
  readonly image: Uint8Array;
}

export interface Dg2File {
  readonly faces: readonly FaceImage[];
}

const FAC = [0x46, 0x41, 0x43, 0x00];
const FACE_HEADER = 14;
const FACE_INFO = 20;
const FEATURE_POINT = 8;
const IMAGE_INFO = 12;

function fail(message: string, details: Record<string, unknown> = {}): never {
  throw new ParseError('DG2_INVALID', `DG2 ${message}`, details);
}

export function parseDg2(bytes: Uint8Array): Dg2File {
  const outer = expectTlv(bytes, LDS_FILES.DG2.tag, 'DG2', 'DG2_INVALID');
  const group = findTlv(tlvChildren(outer), 0x7f61);
  if (!group) fail('has no biometric information group template (7F61)');
  const kids = tlvChildren(group);
  const countTlv = findTlv(kids, 0x02);
  const templates = kids.filter((k) => k.tag === 0x7f60);
  if (countTlv && decodeSmallInteger(countTlv.value) !== templates.length) {
    fail(`announces ${decodeSmallInteger(countTlv.value)} biometric templates but holds ${templates.length}`);
  }
  const faces = templates.flatMap((t) => parseTemplate(t));
  if (faces.length === 0) fail('holds no facial image');
  return { faces };
}

function parseTemplate(template: Tlv): FaceImage[] {
  const kids = tlvChildren(template);
  const bdb = findTlv(kids, 0x5f2e);
  if (!bdb) {
    if (findTlv(kids, 0x7f2e)) throw new ParseError('DG2_UNSUPPORTED_FORMAT', 'DG2 uses ISO/IEC 39794-5 (7F2E), which is not supported yet', {});
    fail('template has no biometric data block (5F2E)');
  }
  return parseFacialRecord(bdb.value);
}

const u16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number) => ((b[o]! << 24) >>> 0) + (b[o + 1]! << 16) + (b[o + 2]! << 8) + b[o + 3]!;

/** ISO/IEC 19794-5:2005 facial record: header, then per face: info, feature points, image info, image. */
export function parseFacialRecord(rec: Uint8Array): FaceImage[] {
  if (rec.length < FACE_HEADER) fail('facial record shorter than its header', { offset: 0 });
  if (!FAC.every((b, i) => rec[i] === b)) fail('facial record does not start with "FAC\\0"', { offset: 0 });
  const recordLength = u32(rec, 8);
  if (recordLength > rec.length) fail(`facial record claims ${recordLength} bytes but has ${rec.length}`, { offset: 8 });
  const count = u16(rec, 12);
  if (count === 0) fail('facial record holds no faces', { offset: 12 });
  const faces: FaceImage[] = [];
  let p = FACE_HEADER;
  for (let i = 0; i < count; i++) {
    if (p + FACE_INFO > recordLength) fail(`face ${i + 1} information truncated`, { offset: p });
    const blockLength = u32(rec, p);
    const points = u16(rec, p + 4);
    const gender = rec[p + 6]!;
    const imageInfoAt = p + FACE_INFO + points * FEATURE_POINT;
    const imageAt = imageInfoAt + IMAGE_INFO;
    const end = p + blockLength;
    if (blockLength < FACE_INFO + IMAGE_INFO || end > recordLength || imageAt > end) {
      fail(`face ${i + 1} block length ${blockLength} is inconsistent`, { offset: p });
    }
    const dataType = rec[imageInfoAt + 1]!;
    const image = rec.subarray(imageAt, end);
    faces.push({ format: imageFormat(image, dataType, imageAt), width: u16(rec, imageInfoAt + 2), height: u16(rec, imageInfoAt + 4), gender, image });
    p = end;
  }
  return faces;
}

/** The image's own magic bytes win over the declared type (some issuers declare it wrongly). */
function imageFormat(image: Uint8Array, declared: number, offset: number): ImageFormat {
  if (image[0] === 0xff && image[1] === 0xd8) return 'jpeg';
  const jp2 = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20];
  if (jp2.every((b, i) => image[i] === b) || (image[0] === 0xff && image[1] === 0x4f && image[2] === 0xff && image[3] === 0x51)) return 'jpeg2000';
  throw new ParseError('DG2_UNSUPPORTED_IMAGE', `DG2 image is neither JPEG nor JPEG 2000 (declared type ${declared})`, { offset });
}

export interface FaceImageInput {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly image: Uint8Array;
  /** 1 male, 2 female (ISO 19794-5). */
  readonly gender?: number;
}

const be = (n: number, len: number) => Uint8Array.from({ length: len }, (_, i) => (n >>> (8 * (len - 1 - i))) & 0xff);

/** ISO/IEC 19794-5:2005 record for one full-frontal face without feature points. */
export function buildFacialRecord(face: FaceImageInput): Uint8Array {
  const blockLength = FACE_INFO + IMAGE_INFO + face.image.length;
  const info = concatBytes(
    be(blockLength, 4), be(0, 2), Uint8Array.of(face.gender ?? 0, 0, 0), be(0, 3), be(0, 2), be(0, 3), be(0, 3),
  );
  const imageInfo = concatBytes(
    Uint8Array.of(1, face.format === 'jpeg' ? 0 : 1), be(face.width, 2), be(face.height, 2),
    Uint8Array.of(1, 2), be(0, 2), be(0, 2), // 24-bit RGB, digital still; device and quality unspecified
  );
  return concatBytes(Uint8Array.from([...FAC, 0x30, 0x31, 0x30, 0x00]), be(FACE_HEADER + blockLength, 4), be(1, 2), info, imageInfo, face.image);
}

/** DG2 with one CBEFF template: BHT (format owner 0x0101 ISO/IEC JTC1 SC37, format type 0x0008 face). */
export function buildDg2(face: FaceImageInput): Uint8Array {
  const bht = encodeTlv(0xa1, [
    encodeTlv(0x80, Uint8Array.of(0x01, 0x01)),
    encodeTlv(0x81, Uint8Array.of(0x02)),
    encodeTlv(0x87, Uint8Array.of(0x01, 0x01)),
    encodeTlv(0x88, Uint8Array.of(0x00, 0x08)),
  ]);
  return encodeTlv(LDS_FILES.DG2.tag, encodeTlv(0x7f61, [
    encodeTlv(0x02, Uint8Array.of(1)),
    encodeTlv(0x7f60, [bht, encodeTlv(0x5f2e, buildFacialRecord(face))]),
  ]));
}
