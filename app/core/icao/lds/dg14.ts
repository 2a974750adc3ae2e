/** DG14 (ICAO 9303-10 §4.7.14): SecurityInfos for Chip/Terminal/Active Authentication. */
import { expectTlv, decodeTlv, encodeTlv } from '../tlv.ts';
import { LDS_FILES } from './files.ts';
import { encodeSecurityInfos, parseSecurityInfos, type SecurityInfo, type SecurityInfoInput } from './security-infos.ts';

export interface Dg14File {
  readonly securityInfos: readonly SecurityInfo[];
}

export function parseDg14(bytes: Uint8Array): Dg14File {
  const outer = expectTlv(bytes, LDS_FILES.DG14.tag, 'DG14', 'DG14_INVALID');
  return { securityInfos: parseSecurityInfos(decodeTlv(outer.value)) };
}

export function buildDg14(infos: readonly SecurityInfoInput[]): Uint8Array {
  return encodeTlv(LDS_FILES.DG14.tag, encodeSecurityInfos(infos));
}
