/**
 * Fuzz targets for what the chip answers during a session: secure messaging responses, READ BINARY
 * response APDUs driving the file reader, the keys behind PACE and Chip Authentication (DG14
 * SubjectPublicKeyInfo, ECDH/DH public points in GENERAL AUTHENTICATE data) and Active
 * Authentication (DG15 key + INTERNAL AUTHENTICATE signature).
 *
 * Structure-aware where a random input could never get past the first check: secure messaging
 * responses are built with the session's own keys and re-MACed after the edit, so the fuzzer
 * reaches the object parsing and decryption behind the MAC; AA signatures are real ones, edited.
 */
import fc from 'fast-check';
import { parseResponse, type CommandApdu, type ResponseApdu } from '../../app/core/icao/apdu.ts';
import { performActiveAuthentication } from '../../app/core/icao/active-auth.ts';
import { chipAuthPlan } from '../../app/core/icao/chip-auth.ts';
import { aesCmac, concatBytes, pad, retailMac, type CipherAlg } from '../../app/core/icao/crypto.ts';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { dynamicData } from '../../app/core/icao/pace.ts';
import { keyFromSpki, standardGroup, type AnyGroup } from '../../app/core/icao/pace-groups.ts';
import { FileReader } from '../../app/core/icao/reader-files.ts';
import { SecureMessaging, type SmKeys } from '../../app/core/icao/secure-messaging.ts';
import { CardRemovedError, type ApduChannel, type CardTransport } from '../../app/core/icao/transport.ts';
import type { CardFiles } from '../../app/sim/personas/build-card-files.ts';
import { AuthChipSide } from '../../app/sim/virtual-card/chip-auth-chip.ts';
import { applyOps, bytesFor, mutated, mutationOp } from './generators.ts';
import type { FuzzTarget } from './targets.ts';

const KEYS: Record<'DESede' | 'AES-128', SmKeys> = {
  'DESede': { alg: 'DESede', kEnc: Uint8Array.from({ length: 16 }, (_, i) => i + 1), kMac: Uint8Array.from({ length: 16 }, (_, i) => 0x40 + i) },
  'AES-128': { alg: 'AES-128', kEnc: Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i), kMac: Uint8Array.from({ length: 16 }, (_, i) => 0x80 + i) },
};
const sscFor = (alg: CipherAlg) => new Uint8Array(alg === 'DESede' ? 8 : 16).fill(0x07);

/** DO8E over `body` as the card computes it for the first message after `ssc` (ICAO 9303-11 §9.8). */
function macObject(keys: SmKeys, ssc: Uint8Array, body: Uint8Array): Uint8Array {
  const next = ssc.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    next[i] = (next[i]! + 1) & 0xff;
    if (next[i] !== 0) break;
  }
  const input = pad(concatBytes(next, body), next.length);
  const mac = keys.alg === 'DESede' ? retailMac(keys.kMac, input) : aesCmac(keys.kMac, input).slice(0, 8);
  return concatBytes(Uint8Array.of(0x8e, 8), mac);
}

const smResponse = fc.record({
  alg: fc.constantFrom<'DESede' | 'AES-128'>('DESede', 'AES-128'),
  plain: fc.uint8Array({ maxLength: 300 }),
  sw: fc.oneof(fc.constantFrom(0x9000, 0x6282, 0x6a82, 0x6988), fc.integer({ min: 0, max: 0xffff })),
  oddIns: fc.boolean(),
  /** Edits of the protected body (the data objects before DO8E); none = the genuine response. */
  ops: fc.array(mutationOp, { maxLength: 3 }),
  /** Re-MAC the edited body (reaches the parser behind the MAC) or keep the genuine MAC. */
  remac: fc.boolean(),
  /** Or a body of arbitrary data objects, MACed. */
  objects: fc.option(fc.array(fc.record({
    tag: fc.oneof(fc.constantFrom(0x85, 0x87, 0x99, 0x8e, 0x97), fc.integer({ min: 0, max: 255 })),
    value: fc.uint8Array({ maxLength: 40 }),
  }), { maxLength: 5 })),
  /** Or plain random bytes as the response data. */
  raw: fc.option(fc.uint8Array({ maxLength: 80 }), { freq: 6 }),
});

function openSmResponse(input: typeof smResponse extends fc.Arbitrary<infer T> ? T : never): unknown {
  const keys = KEYS[input.alg];
  const ssc = sscFor(input.alg);
  const genuine = new SecureMessaging(keys, ssc).protectResponse({ data: input.plain, sw: input.sw }, input.oddIns);
  let data: Uint8Array;
  if (input.raw) data = input.raw;
  else if (input.objects) {
    const body = concatBytes(...input.objects.map((o) => concatBytes(Uint8Array.of(o.tag, o.value.length), o.value)));
    data = concatBytes(body, macObject(keys, ssc, body));
  } else {
    const body = applyOps(genuine.data.subarray(0, genuine.data.length - 10), input.ops);
    data = concatBytes(body, input.remac ? macObject(keys, ssc, body) : genuine.data.subarray(genuine.data.length - 10));
  }
  const opened = new SecureMessaging(keys, ssc).openResponse({ data, sw: input.sw });
  const untouched = Buffer.from(data).equals(Buffer.from(genuine.data));
  if (untouched && (opened.sw !== input.sw || !Buffer.from(opened.data).equals(Buffer.from(input.plain)))) {
    throw new Error('a genuine protected response did not open to its own data and status');
  }
  return opened;
}

/** A card whose answers are the fuzz input, one per command; then it is gone. */
function scriptedChannel(responses: readonly Uint8Array[], limit: number): ApduChannel {
  let next = 0;
  return {
    transport: undefined as unknown as CardTransport,
    async send(_cmd: CommandApdu): Promise<ResponseApdu> {
      // More commands than a reader may send for this script is a loop in the reader.
      if (next >= limit) throw new Error(`the file reader sent more than ${limit} commands for ${responses.length} answers`);
      const r = responses[next++];
      if (r === undefined) throw new CardRemovedError();
      return parseResponse(r);
    },
  };
}

const SW_CASES = [0x9000, 0x6282, 0x6700, 0x6c10, 0x6c00, 0x6cdf, 0x6a82, 0x6982, 0x6b00, 0x6100];
const withSw = (data: Uint8Array, sw: number) => concatBytes(data, Uint8Array.of(sw >> 8, sw & 0xff));

/** READ BINARY answers: a real file cut into chunks (then edited), or random answers. */
function readAnswers(file: Uint8Array): fc.Arbitrary<Uint8Array[]> {
  const chunked = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 12 }).map((sizes) => {
    const out: Uint8Array[] = [withSw(new Uint8Array(0), 0x9000)]; // the SELECT
    let at = 0;
    for (let i = 0; at < file.length; i++) {
      const n = sizes[i % sizes.length]!;
      out.push(withSw(file.subarray(at, at + n), 0x9000));
      at += n;
    }
    return out;
  });
  const edited = fc.tuple(chunked, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SW_CASES)), { maxLength: 3 }), fc.array(fc.tuple(fc.nat(), mutationOp), { maxLength: 2 }))
    .map(([answers, sws, ops]) => {
      const out = answers.slice();
      for (const [i, sw] of sws) {
        const k = i % out.length;
        out[k] = withSw(out[k]!.subarray(0, out[k]!.length - 2), sw);
      }
      for (const [i, op] of ops) out[i % out.length] = applyOps(out[i % out.length]!, [op]);
      return out;
    });
  const answer = fc.oneof(
    fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...SW_CASES)).map(([d, sw]) => withSw(d, sw)),
    fc.uint8Array({ maxLength: 4 }),
    // A file header declaring more than 32 KB, so reads go past offset 7FFF (READ BINARY B1, DO53).
    fc.integer({ min: 0x8000, max: 0x9000 }).map((n) => withSw(concatBytes(Uint8Array.of(0x75, 0x82, n >> 8, n & 0xff), new Uint8Array(n - 4)), 0x9000)),
  );
  return fc.oneof({ weight: 3, arbitrary: edited }, { weight: 1, arbitrary: fc.array(answer, { maxLength: 12 }) });
}

/** Interesting public-key encodings per PACE standardized domain parameter, to mutate. */
function pointSeeds(): { id: number; group: AnyGroup; seeds: Uint8Array[] }[] {
  return [0, 1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18].map((id) => {
    const group = standardGroup(id) as { encode(e: unknown): Uint8Array; mul(e: unknown, k: bigint): unknown; generator: unknown } & AnyGroup;
    const seeds = [2n, 0x1234567n].map((k) => group.encode(group.mul(group.generator, k)));
    return { id, group, seeds };
  });
}

export interface ChipCards {
  /** A card whose DG14 offers Chip Authentication. */
  readonly withCa: CardFiles;
  readonly rsaAa: CardFiles;
  readonly ecAa: CardFiles;
}

export function chipProtocolTargets(cards: ChipCards): FuzzTarget[] {
  const dg1 = cards.withCa.dataGroups.get(1)!;
  const groups = pointSeeds();
  const challenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const aaCases = [cards.rsaAa, cards.ecAa].map((c) => {
    const aa = c.chipKeys.activeAuthentication!;
    const signature = new AuthChipSide({ aa: aa.privateKey }).internalAuthenticate({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: 256 }).data;
    return { dg15: c.dataGroups.get(15)!, signature };
  });
  const dg14s = [cards.withCa.dataGroups.get(14)!];
  return [
    { name: 'sm-response', arbitrary: smResponse, run: openSmResponse as (x: never) => unknown },
    {
      name: 'apdu-read',
      async: true,
      arbitrary: fc.record({ answers: readAnswers(dg1), extended: fc.boolean(), sfi: fc.boolean() }),
      run: (async (x: { answers: Uint8Array[]; extended: boolean; sfi: boolean }) => {
        const reader = new FileReader(scriptedChannel(x.answers, x.answers.length + 64), x.extended, 65536, 0xdf);
        const file = await reader.read(LDS_FILES.DG1, x.sfi ? 'sfi' : 'fid', () => undefined);
        // Whatever the answers, the reader returns exactly one complete TLV.
        if (file.length === 0) throw new Error('the file reader returned an empty file');
      }) as (x: never) => unknown,
    },
    {
      name: 'ca-keys',
      arbitrary: bytesFor(dg14s, 0x6e),
      run: ((b: Uint8Array) => {
        const plan = chipAuthPlan(b);
        return plan && keyFromSpki(plan.key.publicKey);
      }) as (x: never) => unknown,
    },
    {
      name: 'ecdh-point',
      maxRuns: { runs: 30_000, why: 'each input is a public-key validation (a 2048-bit modular exponentiation for DH)' },
      arbitrary: fc.nat({ max: groups.length - 1 }).chain((g) => fc.record({
        g: fc.constant(g),
        bytes: fc.oneof(mutated(groups[g]!.seeds), fc.uint8Array({ maxLength: 140 }), fc.constantFrom(...groups[g]!.seeds)),
        wrapped: fc.boolean(),
      })),
      run: ((x: { g: number; bytes: Uint8Array; wrapped: boolean }) => {
        // As GENERAL AUTHENTICATE returns it: 7C { 84 point } — or the bare point.
        const inner = concatBytes(Uint8Array.of(0x84, x.bytes.length & 0x7f), x.bytes.subarray(0, 0x7f));
        const point = x.wrapped ? dynamicData(concatBytes(Uint8Array.of(0x7c, inner.length), inner), 0x84, 'GA') : x.bytes;
        return groups[x.g]!.group.decode(point);
      }) as (x: never) => unknown,
    },
    {
      name: 'active-auth',
      async: true,
      maxRuns: { runs: 30_000, why: 'each input is a signature verification (RSA or ECDSA)' },
      arbitrary: fc.nat({ max: aaCases.length - 1 }).chain((i) => fc.record({
        i: fc.constant(i),
        dg15: fc.oneof({ weight: 3, arbitrary: fc.constant(aaCases[i]!.dg15) }, { weight: 2, arbitrary: mutated([aaCases[i]!.dg15]) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) }),
        signature: fc.oneof(fc.constant(aaCases[i]!.signature), mutated([aaCases[i]!.signature]), fc.uint8Array({ maxLength: 300 })),
        sw: fc.oneof({ weight: 5, arbitrary: fc.constant(0x9000) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }) }),
      })),
      run: (async (x: { i: number; dg15: Uint8Array; signature: Uint8Array; sw: number }) => {
        const genuine = aaCases[x.i]!;
        const channel: ApduChannel = { transport: undefined as unknown as CardTransport, send: async () => ({ data: x.signature, sw: x.sw }) };
        const sameKey = Buffer.from(x.dg15).equals(Buffer.from(genuine.dg15));
        // Leading zero bytes do not change an RSA signature's value.
        const asNumber = (b: Uint8Array) => BigInt(`0x0${Buffer.from(b).toString('hex')}`);
        const sameSig = x.i === 0 ? asNumber(x.signature) === asNumber(genuine.signature) : Buffer.from(x.signature).equals(Buffer.from(genuine.signature));
        try {
          await performActiveAuthentication(channel, x.dg15, { challenge });
        } catch (e) {
          if (sameKey && sameSig && x.sw === 0x9000) throw new Error(`the chip's genuine signature was refused: ${String(e)}`);
          throw e;
        }
        // A signature that verifies with the chip's key must be the chip's own.
        if (sameKey && !sameSig) throw new Error('an altered signature verified with the DG15 key');
      }) as (x: never) => unknown,
    },
  ];
}
