/**
 * The groups PACE and Chip Authentication compute in: elliptic curves (brainpool and NIST) and
 * RFC 5114 MODP groups, behind one small interface (multiply, add, encode, shared secret).
 * Point addition is needed for the generic mapping, which Node's ECDH does not expose, so curve
 * arithmetic is @noble/curves' audited Weierstrass code; the curve constants themselves are taken
 * from Node's OpenSSL at run time (explicit-parameter export), not pasted.
 */
import { generateKeyPairSync, getCurves, randomBytes } from 'node:crypto';
import { weierstrassN, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass';
import { KioskError } from '../errors.ts';
import { DER, decodeOid, decodeTlv, tlvChildren, type Tlv } from './tlv.ts';

export class GroupError extends KioskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('PACE_BAD_PUBLIC_KEY', message, details);
  }
}

export interface Group<E> {
  readonly kind: 'ECDH' | 'DH';
  readonly name: string;
  /** Order of the generator (n for curves, q for MODP groups). */
  readonly order: bigint;
  readonly generator: E;
  mul(e: E, k: bigint): E;
  add(a: E, b: E): E;
  /** Public key bytes: 04‖x‖y for curves, big-endian Y padded to |p| for MODP. */
  encode(e: E): Uint8Array;
  /** Parses and validates a peer's public key (on the curve / in the subgroup, not neutral). */
  decode(bytes: Uint8Array): E;
  /** Shared-secret bytes of a DH result: the x coordinate (curves) or the value (MODP). */
  secret(e: E): Uint8Array;
  /** The same group with another generator (PACE generic mapping). */
  withGenerator(g: E): Group<E>;
  /** A uniformly random private key in [1, order-1]. */
  randomScalar(): bigint;
}

// ------------------------------------------------------------------------------ numbers

export const bytesToBigInt = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex')));

export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  const hexStr = n.toString(16).padStart(length * 2, '0');
  if (hexStr.length > length * 2) throw new GroupError('number does not fit its field', { length });
  return new Uint8Array(Buffer.from(hexStr, 'hex'));
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function randomBelow(n: bigint): bigint {
  const len = Math.ceil(n.toString(16).length / 2) + 8; // 64 extra bits make the modulo bias negligible
  return (bytesToBigInt(new Uint8Array(randomBytes(len))) % (n - 1n)) + 1n;
}

// ------------------------------------------------------------------------------ curves

type Point = WeierstrassPoint<bigint>;

class EcGroup implements Group<Point> {
  readonly kind = 'ECDH' as const;
  readonly order: bigint;
  private readonly fieldBytes: number;
  constructor(readonly name: string, private readonly P: WeierstrassPointCons<bigint>, readonly generator: Point, p: bigint) {
    this.order = P.CURVE().n;
    this.fieldBytes = Math.ceil(p.toString(16).length / 2);
  }
  mul(e: Point, k: bigint): Point {
    const r = k % this.order;
    if (r === 0n) throw new GroupError('scalar is a multiple of the group order');
    return e.multiply(r);
  }
  add(a: Point, b: Point): Point {
    return a.add(b);
  }
  encode(e: Point): Uint8Array {
    const a = e.toAffine();
    return Uint8Array.of(0x04, ...bigIntToBytes(a.x, this.fieldBytes), ...bigIntToBytes(a.y, this.fieldBytes));
  }
  decode(bytes: Uint8Array): Point {
    if (bytes.length !== 1 + 2 * this.fieldBytes || bytes[0] !== 0x04) {
      throw new GroupError('EC public key is not an uncompressed point of this curve', { curve: this.name, length: bytes.length });
    }
    const x = bytesToBigInt(bytes.subarray(1, 1 + this.fieldBytes));
    const y = bytesToBigInt(bytes.subarray(1 + this.fieldBytes));
    try {
      const pt = this.P.fromAffine({ x, y });
      pt.assertValidity();
      if (pt.is0()) throw new Error('neutral');
      return pt;
    } catch {
      throw new GroupError('EC public key is not on the curve', { curve: this.name });
    }
  }
  secret(e: Point): Uint8Array {
    if (e.is0()) throw new GroupError('shared point is the point at infinity');
    return bigIntToBytes(e.toAffine().x, this.fieldBytes);
  }
  withGenerator(g: Point): Group<Point> {
    return new EcGroup(this.name, this.P, g, this.P.CURVE().p);
  }
  randomScalar(): bigint {
    return randomBelow(this.order);
  }
}

interface EcParameters {
  readonly p: bigint; readonly a: bigint; readonly b: bigint;
  readonly gx: bigint; readonly gy: bigint; readonly n: bigint; readonly h: bigint;
}

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const ID_PRIME_FIELD = '1.2.840.10045.1.1';

function fail(what: string): never {
  throw new GroupError(`EC domain parameters: ${what}`);
}

/** ECParameters (SEC 1 / X9.62 explicit form) → numbers. */
function parseExplicitParameters(params: Tlv): EcParameters {
  const x = explicitParts(params);
  if (x.gy === undefined) fail('base point must be uncompressed');
  return { p: x.p, a: x.a, b: x.b, gx: x.gx, gy: x.gy, n: x.n, h: x.h ?? 1n };
}

function ecGroupFromParameters(name: string, c: EcParameters): EcGroup {
  const P = weierstrassN<bigint>({ p: c.p, n: c.n, h: c.h, a: c.a % c.p, b: c.b, Gx: c.gx, Gy: c.gy });
  return new EcGroup(name, P, P.fromAffine({ x: c.gx, y: c.gy }), c.p);
}

const curveCache = new Map<string, EcGroup>();
const parameterCache = new Map<string, EcParameters | null>();

/** A curve's domain parameters as OpenSSL knows them; null for curves that are not over a prime field. */
function namedParameters(name: string): EcParameters | null {
  const hit = parameterCache.get(name);
  if (hit !== undefined) return hit;
  let params: EcParameters | null;
  try {
    // OpenSSL prints the curve's explicit parameters into the SubjectPublicKeyInfo of a throwaway key.
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: name, paramEncoding: 'explicit' });
    const spki = decodeTlv(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
    params = parseExplicitParameters(tlvChildren(tlvChildren(spki)[0]!)[1]!);
  } catch {
    params = null;
  }
  parameterCache.set(name, params);
  return params;
}

/** A named curve as OpenSSL knows it ('brainpoolP256r1', 'prime256v1', 'secp384r1', …). */
export function namedCurve(name: string): EcGroup {
  const hit = curveCache.get(name);
  if (hit) return hit;
  const params = namedParameters(name);
  if (!params) fail(`${name} is not a prime-field curve OpenSSL knows`);
  const group = ecGroupFromParameters(name, params);
  curveCache.set(name, group);
  return group;
}

/** Named-curve OIDs that appear in DG14/DG15 keys, mapped to OpenSSL names. */
const CURVE_OIDS: Record<string, string> = {
  '1.2.840.10045.3.1.1': 'prime192v1', '1.3.132.0.33': 'secp224r1', '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1', '1.3.132.0.35': 'secp521r1',
  '1.3.36.3.3.2.8.1.1.3': 'brainpoolP192r1', '1.3.36.3.3.2.8.1.1.5': 'brainpoolP224r1', '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.9': 'brainpoolP320r1', '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1', '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
};

/** The group and public key of an EC SubjectPublicKeyInfo (named or explicit parameters). */
export function ecKeyFromSpki(spkiDer: Uint8Array): { group: Group<Point>; publicKey: Point } {
  const spki = decodeTlv(spkiDer);
  const [alg, key] = tlvChildren(spki);
  if (!alg || !key || key.tag !== DER.BIT_STRING) fail('not a SubjectPublicKeyInfo');
  const [oid, params] = tlvChildren(alg);
  if (!oid || decodeOid(oid.value) !== ID_EC_PUBLIC_KEY || !params) fail('not an EC key');
  let group: EcGroup;
  if (params.tag === DER.OID) {
    const name = CURVE_OIDS[decodeOid(params.value)];
    if (!name) fail(`unsupported named curve ${decodeOid(params.value)}`);
    group = namedCurve(name);
  } else {
    group = ecGroupFromParameters('explicit', parseExplicitParameters(params));
  }
  return { group, publicKey: group.decode(key.value.subarray(1)) };
}

/**
 * Which standard curve explicit ECParameters spell out: every number (p, a, b, the base point,
 * n and h when given) must equal that curve's. Undefined when they match none, e.g. a key whose
 * generator was swapped so that a forger knows its private key (CVE-2020-0601, "CurveBall").
 * A compressed base point is compared by x and the parity of y. The seed is not compared.
 */
export function standardCurveOf(params: Tlv): string | undefined {
  let parts;
  try {
    parts = explicitParts(params);
  } catch {
    return undefined;
  }
  const same = (name: string): boolean => {
    const c = namedParameters(name);
    if (!c || c.p !== parts.p || c.a % c.p !== parts.a % parts.p || c.b !== parts.b || c.n !== parts.n) return false;
    if (parts.h !== undefined && parts.h !== c.h) return false;
    return parts.gx === c.gx && (parts.gy === undefined ? (c.gy & 1n) === BigInt(parts.gyOdd ? 1 : 0) : parts.gy === c.gy);
  };
  // The curves ICAO documents use first; then anything else OpenSSL knows (computed once, lazily).
  return Object.values(CURVE_OIDS).find(same) ?? getCurves().find(same);
}

/** The numbers of explicit ECParameters, with the base point possibly compressed. */
function explicitParts(params: Tlv) {
  const [, fieldId, curve, base, order, cofactor] = tlvChildren(params);
  if (!fieldId || !curve || !base || !order) fail('incomplete ECParameters');
  const [fieldType, prime] = tlvChildren(fieldId);
  if (!fieldType || decodeOid(fieldType.value) !== ID_PRIME_FIELD || !prime) fail('only prime fields are supported');
  const [a, b] = tlvChildren(curve);
  if (!a || !b) fail('curve coefficients missing');
  const p = bytesToBigInt(prime.value);
  const len = Math.ceil(p.toString(16).length / 2);
  const g = base.value;
  const common = { p, a: bytesToBigInt(a.value), b: bytesToBigInt(b.value), n: bytesToBigInt(order.value), h: cofactor ? bytesToBigInt(cofactor.value) : undefined };
  if (g[0] === 0x04 && g.length === 1 + 2 * len) return { ...common, gx: bytesToBigInt(g.subarray(1, 1 + len)), gy: bytesToBigInt(g.subarray(1 + len)) as bigint | undefined, gyOdd: false };
  if ((g[0] === 0x02 || g[0] === 0x03) && g.length === 1 + len) return { ...common, gx: bytesToBigInt(g.subarray(1)), gy: undefined, gyOdd: g[0] === 0x03 };
  fail('base point is neither compressed nor uncompressed');
}

/**
 * The curve of an EC SubjectPublicKeyInfo: named by OID, or explicit parameters equal to a standard
 * curve ({ explicit: true, curve }), or explicit parameters matching none ({ explicit: true } alone).
 * Undefined for keys that are not EC.
 */
export function ecSpkiCurve(spkiDer: Uint8Array): { readonly explicit: boolean; readonly curve?: string } | undefined {
  const [alg] = tlvChildren(decodeTlv(spkiDer));
  const [oid, params] = alg ? tlvChildren(alg) : [];
  if (!oid || oid.tag !== DER.OID || decodeOid(oid.value) !== ID_EC_PUBLIC_KEY) return undefined;
  if (params?.tag === DER.OID) return { explicit: false, curve: decodeOid(params.value) };
  const curve = params?.tag === DER.SEQUENCE ? standardCurveOf(params) : undefined;
  return { explicit: true, ...(curve ? { curve } : {}) };
}

// ------------------------------------------------------------------------------ MODP groups

class DhGroup implements Group<bigint> {
  readonly kind = 'DH' as const;
  private readonly len: number;
  constructor(readonly name: string, private readonly p: bigint, readonly generator: bigint, readonly order: bigint) {
    this.len = Math.ceil(p.toString(16).length / 2);
  }
  mul(e: bigint, k: bigint): bigint {
    return modPow(e, k, this.p);
  }
  add(a: bigint, b: bigint): bigint {
    return (a * b) % this.p;
  }
  encode(e: bigint): Uint8Array {
    return bigIntToBytes(e, this.len);
  }
  decode(bytes: Uint8Array): bigint {
    const y = bytesToBigInt(bytes);
    // 1 < y < p-1 and y in the order-q subgroup (RFC 2631 §2.1.5).
    if (bytes.length > this.len || y <= 1n || y >= this.p - 1n || modPow(y, this.order, this.p) !== 1n) {
      throw new GroupError('DH public key is not in the group', { group: this.name });
    }
    return y;
  }
  secret(e: bigint): Uint8Array {
    return bigIntToBytes(e, this.len);
  }
  withGenerator(g: bigint): Group<bigint> {
    return new DhGroup(this.name, this.p, g, this.order);
  }
  randomScalar(): bigint {
    return randomBelow(this.order);
  }
}

const h = (s: string): bigint => BigInt('0x' + s);

/**
 * RFC 5114 §2.1–2.3 MODP groups with prime-order subgroups (PACE standardized parameters 0–2),
 * exactly as `openssl genpkey -genparam -algorithm DHX -pkeyopt dh_rfc5114:N` prints them
 * (test/unit/pace.test.ts re-checks them against the local OpenSSL when it is installed).
 */
export const RFC5114 = {
  1: {
    p: 'B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371',
    g: 'A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28AD662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5',
    q: 'F518AA8781A8DF278ABA4E7D64B7CB9D49462353',
  },
  2: {
    p: 'AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75E6FA141DF95A56DBAF9A3C407BA1DF15EB3D688A309C180E1DE6B85A1274A0A66D3F8152AD6AC2129037C9EDEFDA4DF8D91E8FEF55B7394B7AD5B7D0B6C12207C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708B3BF8A317091883681286130BC8985DB1602E714415D9330278273C7DE31EFDC7310F7121FD5A07415987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8BE60E69CC928B2B9C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29E3FB73C16B8E75B97EF363E2FFA31F71CF9DE5384E71B81C0AC4DFFE0C10E64F',
    g: 'AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3A6824A4E10B9A6F0DD921F01A70C4AFAAB739D7700C29F52C57DB17C620A8652BE5E9001A8D66AD7C17669101999024AF4D027275AC1348BB8A762D0521BC98AE247150422EA1ED409939D54DA7460CDB5F6C6B250717CBEF180EB34118E98D119529A45D6F834566E3025E316A330EFBB77A86F0C1AB15B051AE3D428C8F8ACB70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381B539CCE3409D13CD566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD7B5A0F1C71CFFF4C19C418E1F6EC017981BC087F2A7065B384B890D3191F2BFA',
    q: '801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB',
  },
  3: {
    p: '87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597',
    g: '3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659',
    q: '8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3',
  },
} as const;

function rfc5114(n: 1 | 2 | 3): DhGroup {
  const g = RFC5114[n];
  return new DhGroup(`RFC5114-${n}`, h(g.p), h(g.g), h(g.q));
}

/** ICAO 9303-11 §9.5.1 standardized domain parameters by PACE parameter ID. */
const STANDARD: Record<number, () => Group<Point> | Group<bigint>> = {
  0: () => rfc5114(1), 1: () => rfc5114(2), 2: () => rfc5114(3),
  8: () => namedCurve('prime192v1'), 9: () => namedCurve('brainpoolP192r1'),
  10: () => namedCurve('secp224r1'), 11: () => namedCurve('brainpoolP224r1'),
  12: () => namedCurve('prime256v1'), 13: () => namedCurve('brainpoolP256r1'),
  14: () => namedCurve('brainpoolP320r1'), 15: () => namedCurve('secp384r1'),
  16: () => namedCurve('brainpoolP384r1'), 17: () => namedCurve('brainpoolP512r1'),
  18: () => namedCurve('secp521r1'),
};

export type AnyGroup = Group<Point> | Group<bigint>;

const ID_DH_PUBLIC_NUMBER = '1.2.840.10046.2.1';

/**
 * Group and public key of a Chip Authentication key (DG14 SubjectPublicKeyInfo): EC (named or
 * explicit parameters) or X9.42 DH (dhpublicnumber with p, g, q).
 */
export function keyFromSpki(spkiDer: Uint8Array): { group: Group<unknown>; publicKey: unknown } {
  const spki = decodeTlv(spkiDer);
  const [alg, key] = tlvChildren(spki);
  const oid = alg ? tlvChildren(alg)[0] : undefined;
  if (oid && decodeOid(oid.value) === ID_DH_PUBLIC_NUMBER) {
    const [p, g, q] = tlvChildren(tlvChildren(alg!)[1]!);
    if (!p || !g || !q || !key || key.tag !== DER.BIT_STRING) fail('DH key without p, g and q');
    const group = new DhGroup('X9.42', bytesToBigInt(p.value), bytesToBigInt(g.value), bytesToBigInt(q.value));
    const y = decodeTlv(key.value.subarray(1)); // BIT STRING → INTEGER y
    return { group: group as Group<unknown>, publicKey: group.decode(y.value[0] === 0 ? y.value.subarray(1) : y.value) };
  }
  const ec = ecKeyFromSpki(spkiDer);
  return { group: ec.group as Group<unknown>, publicKey: ec.publicKey };
}

export function standardGroup(parameterId: number): AnyGroup {
  const make = STANDARD[parameterId];
  if (!make) throw new KioskError('PACE_UNSUPPORTED', `PACE domain parameter ${parameterId} is not a standardized one`, { parameterId });
  return make();
}

export type { Point as EcPoint };
