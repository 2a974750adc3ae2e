/**
 * A small synthetic CCCD card for protocol tests, built with the LDS builders (no pasted blobs):
 * the file contents are random bytes inside the right outer tags, which is all the read flow looks at.
 * Full personas with signed SODs come from app/sim/personas.
 */
import { randomBytes } from 'node:crypto';
import { buildCom } from '../../app/core/icao/lds/com.ts';
import { buildDg1 } from '../../app/core/icao/lds/dg1.ts';
import { buildCccdMrz, mrzInformation, parseMrz } from '../../app/core/icao/mrz.ts';
import { encodeTlv } from '../../app/core/icao/tlv.ts';

export interface TestCard {
  readonly files: Map<number, Uint8Array>;
  readonly mrzInformation: string;
  readonly mrz: string;
}

const filler = (n: number) => new Uint8Array(randomBytes(n));

export function testCard(opts: { dg2Bytes?: number; dataGroups?: number[] } = {}): TestCard {
  const mrz = buildCccdMrz({ idNumber: '001092012345', surname: 'NGUYEN', givenNames: 'VAN AN', dateOfBirth: '920317', sex: 'M', dateOfExpiry: '320317' });
  const m = parseMrz(mrz);
  const dgs = opts.dataGroups ?? [1, 2, 13, 14, 15];
  const files = new Map<number, Uint8Array>([
    [0x011e, buildCom(dgs)],
    [0x011d, encodeTlv(0x77, filler(1800))],
  ]);
  const content: Record<number, () => Uint8Array> = {
    1: () => buildDg1(mrz),
    2: () => encodeTlv(0x75, filler(opts.dg2Bytes ?? 20 * 1024)),
    3: () => encodeTlv(0x63, filler(3000)),
    11: () => encodeTlv(0x6b, filler(120)),
    13: () => encodeTlv(0x6d, filler(600)),
    14: () => encodeTlv(0x6e, filler(350)),
    15: () => encodeTlv(0x6f, filler(300)),
  };
  for (const n of dgs) files.set(0x0100 + n, content[n]!());
  return { files, mrz, mrzInformation: mrzInformation({ documentNumber: m.documentNumber, dateOfBirth: m.dateOfBirth, dateOfExpiry: m.dateOfExpiry }) };
}
