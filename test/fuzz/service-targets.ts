/**
 * Fuzz targets for data from outside the chip: X.509 certificates and CRLs of the trust store,
 * the central verification service's answers (JSON protocol and envelope gateways, from raw bytes
 * through strict UTF-8, the exact-member scanner, the signature check and the contract), and
 * HID-POS scanner reports.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { certificateNames, parseCrl, subjectKeyIdentifier } from '../../app/core/icao/passive-auth-x509.ts';
import { KioskError } from '../../app/core/errors.ts';
import { HidPosAssembler, HONEYWELL_LAYOUT, NEWLAND_LAYOUT, type HidPosLayout } from '../../app/core/scanner/hid-pos-report.ts';
import { verificationResponse, type VerificationResponse } from '../../app/core/verification/contract.ts';
import { CECA_LIKE_MAPPING, envelopeAdapter, envelopeResponseParts } from '../../app/core/verification/envelope.ts';
import type { GatewayAdapter } from '../../app/core/verification/gateway.ts';
import { encodeSignedBody, jsonProtocol } from '../../app/core/verification/json-protocol.ts';
import { strictUtf8 } from '../../app/core/verification/raw-json.ts';
import { signBytes, verifyBytes } from '../../app/core/verification/signature.ts';
import { getTestPki, PKI_PROFILES } from '../../app/sim/pki/test-pki.ts';
import { bytesFor, mutated } from './generators.ts';
import type { FuzzTarget } from './targets.ts';

/**
 * Calls every function on the input: an untyped error from any is a finding. The input counts as
 * refused when all refused (`all`: several parsers offered the same bytes) or when any did (`any`:
 * steps of one stream, each of which may discard it).
 */
function each(refusedWhen: 'all' | 'any', ...fns: (() => unknown)[]): unknown[] {
  const out: unknown[] = [];
  let refused: KioskError | undefined;
  for (const f of fns) {
    try {
      out.push(f());
    } catch (e) {
      if (!(e instanceof KioskError)) throw e;
      refused ??= e;
    }
  }
  if (refused && (refusedWhen === 'any' || out.length === 0)) throw refused;
  return out;
}

function verificationBodies(adapter: 'json' | 'envelope', sign: (text: string) => Buffer): string[] {
  return (['VERIFIED', 'MISMATCH'] as const).map((verdict, i) => {
    const d = { requestId: randomUUID(), verdict, reasons: i ? ['FIELD_MISMATCH:fullName'] : [], transactionCode: `TX-${i}`, respondedAt: '2026-01-01T00:00:00.000Z' };
    if (adapter === 'json') {
      const text = JSON.stringify({ version: '1', ...d } satisfies VerificationResponse);
      return encodeSignedBody(text, sign(text), 'ES256', 'k1');
    }
    const m = CECA_LIKE_MAPPING;
    const { signed, outer } = envelopeResponseParts(m, d);
    const text = JSON.stringify(signed);
    const head = JSON.stringify({ ...outer, info: { ...(outer.info as object), version: '1.0.0', senderId: 'RAR' } }).slice(0, -1);
    return `${head},${JSON.stringify(m.response.signedMember)}:${text},${JSON.stringify(m.response.signature)}:${JSON.stringify(sign(text).toString('base64'))}}`;
  });
}

/** The client's path for a 200 answer: bytes → strict UTF-8 → gateway decode → signature → contract. */
function verificationTarget(name: string, adapter: GatewayAdapter): FuzzTarget {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const encoding = adapter.ecdsaEncoding;
  const bodies = verificationBodies(adapter.name === 'json' ? 'json' : 'envelope', (text) => signBytes(privateKey, Buffer.from(text), encoding));
  const signedTexts = new Set(bodies.map((b) => adapter.decode(b).signedText));
  const seeds = bodies.map((b) => new Uint8Array(Buffer.from(b)));
  return {
    name,
    arbitrary: bytesFor(seeds, 0x7b),
    run: ((b: Uint8Array) => {
      const decoded = adapter.decode(strictUtf8(b));
      const genuine = verifyBytes(publicKey, Buffer.from(decoded.signedText, 'utf8'), decoded.signature, encoding);
      if (genuine && !signedTexts.has(decoded.signedText)) throw new Error('altered signed text verified with the service key');
      return verificationResponse.safeParse(decoded.response);
    }) as (x: never) => unknown,
  };
}

/** A complete scan as the layout's reports: 56 data bytes each, the last one shorter or flagged. */
function reportsFor(layout: HidPosLayout, text: string): Uint8Array[] {
  const data = Buffer.from(text);
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length || out.length === 0; at += layout.dataMax) {
    const part = data.subarray(at, at + layout.dataMax);
    const r = new Uint8Array(64);
    r[0] = layout.reportId;
    r[layout.lengthAt] = part.length;
    if (layout.aimAt !== undefined) r.set(Buffer.from(']Q1'), layout.aimAt);
    r.set(part, layout.dataAt);
    if (layout.continuedAt !== undefined) r[layout.continuedAt] = at + layout.dataMax < data.length ? 1 : 0;
    out.push(r);
  }
  return out;
}

function hidPosTarget(): FuzzTarget {
  const texts = ['001092012345|123456789|Nguyễn Văn An|17031992|Nam|Số 1, Phường D|15042021', 'IDVNM0920123452001092012345<<3\r\n'];
  const layouts = [HONEYWELL_LAYOUT, NEWLAND_LAYOUT];
  const seeds = layouts.map((l) => texts.flatMap((t) => reportsFor(l, t)));
  const report = (i: number) => fc.oneof(fc.constantFrom(...seeds[i]!), mutated(seeds[i]!), fc.uint8Array({ maxLength: 70 }));
  return {
    name: 'hid-pos',
    arbitrary: fc.nat({ max: layouts.length - 1 }).chain((i) => fc.record({
      i: fc.constant(i),
      // null = an idle gap between reports
      reports: fc.array(fc.option(report(i), { freq: 8 }), { minLength: 1, maxLength: 8 }),
    })),
    run: ((x: { i: number; reports: (Uint8Array | null)[] }) => {
      const assembler = new HidPosAssembler(layouts[x.i]!, 200);
      return each('any', ...x.reports.map((r) => () => (r ? assembler.push(r) : assembler.idle())), () => assembler.idle());
    }) as (x: never) => unknown,
  };
}

export function serviceTargets(): FuzzTarget[] {
  const pkis = PKI_PROFILES.map(getTestPki);
  const certificates = pkis.flatMap((p) => [p.csca.certificate, p.dsc.certificate]);
  const crls = pkis.flatMap((p) => [p.crlRevokingDsc, p.emptyCrl]);
  return [
    {
      name: 'x509',
      arbitrary: bytesFor([...certificates, ...crls], 0x30),
      run: ((b: Uint8Array) => each('all', () => certificateNames(b), () => subjectKeyIdentifier(b), () => parseCrl(b))) as (x: never) => unknown,
    },
    verificationTarget('rar-json', jsonProtocol),
    verificationTarget('rar-envelope', envelopeAdapter(CECA_LIKE_MAPPING)),
    hidPosTarget(),
  ];
}
