/**
 * The chip's half of PACE generic mapping (ICAO 9303-11 §4.4), for the virtual chip: answers
 * MSE:Set AT and the four GENERAL AUTHENTICATE steps, and hands back the new SM session.
 * Uses the same group, token and key helpers as the terminal side.
 */
import { randomBytes } from 'node:crypto';
import { SW, type CommandApdu, type ResponseApdu } from '../../core/icao/apdu.ts';
import { equalBytes } from '../../core/icao/crypto.ts';
import { parseCardAccess } from '../../core/icao/lds/security-infos.ts';
import {
  authToken, cipherAlg, dynamicData, encryptNonce, freshSession, passwordPi, sessionKeys,
  type PaceInfo, type PacePassword,
} from '../../core/icao/pace.ts';
import { bytesToBigInt, standardGroup, type Group } from '../../core/icao/pace-groups.ts';
import type { SecureMessaging, SmKeys } from '../../core/icao/secure-messaging.ts';
import { decodeOid, decodeTlvAt, encodeTlv } from '../../core/icao/tlv.ts';

export interface PaceSecrets {
  readonly cardAccess: Uint8Array;
  readonly mrzInformation: string;
  readonly can?: string;
  /** Status for a terminal token made with another password (6300 unless the chip OS says otherwise). */
  readonly wrongKeySw?: number;
}

type Step =
  | { n: 1; info: PaceInfo; group: Group<unknown>; kPi: Uint8Array }
  | { n: 2; info: PaceInfo; group: Group<unknown>; s: bigint }
  | { n: 3; info: PaceInfo; mapped: Group<unknown> }
  | { n: 4; info: PaceInfo; keys: SmKeys; pkIfd: Uint8Array; pkIc: Uint8Array };

const status = (sw: number): ResponseApdu => ({ data: new Uint8Array(0), sw });
const answer = (tag: number, value: Uint8Array): ResponseApdu => ({ data: encodeTlv(0x7c, encodeTlv(tag, value)), sw: SW.OK });

export class PaceChipSide {
  private step: Step | undefined;
  private readonly infos: PaceInfo[];

  constructor(private readonly secrets: PaceSecrets) {
    this.infos = parseCardAccess(secrets.cardAccess).filter((i): i is PaceInfo => i.kind === 'PACEInfo');
  }

  reset(): void {
    this.step = undefined;
  }

  /** MSE:Set AT for PACE: protocol (80), password reference (83), optional parameter ID (84). */
  setAt(cmd: CommandApdu): ResponseApdu {
    this.step = undefined;
    const data = cmd.data ?? new Uint8Array(0);
    let oid: string | undefined;
    let ref: number | undefined;
    let param: number | undefined;
    try {
      for (let at = 0; at < data.length;) {
        const t = decodeTlvAt(data, at);
        if (t.tag === 0x80) oid = decodeOid(t.value);
        if (t.tag === 0x83) ref = t.value[0];
        if (t.tag === 0x84) param = t.value[0];
        at = t.end;
      }
    } catch {
      return status(SW.WRONG_DATA);
    }
    const info = this.infos.find((i) => i.protocol === oid && (param === undefined || i.parameterId === param));
    if (!info || info.parameterId === undefined) return status(SW.REFERENCED_DATA_NOT_FOUND);
    let password: PacePassword;
    if (ref === 0x01) password = { kind: 'MRZ', mrzInformation: this.secrets.mrzInformation };
    else if (ref === 0x02 && this.secrets.can) password = { kind: 'CAN', can: this.secrets.can };
    else return status(SW.REFERENCED_DATA_NOT_FOUND);
    const alg = cipherAlg(info.cipher);
    this.step = { n: 1, info, group: standardGroup(info.parameterId) as Group<unknown>, kPi: passwordPi(password, alg) };
    return status(SW.OK);
  }

  /** One GENERAL AUTHENTICATE step; returns the answer and, after the last step, the SM session. */
  generalAuthenticate(cmd: CommandApdu): { response: ResponseApdu; session?: SecureMessaging } {
    const st = this.step;
    if (!st) return { response: status(SW.CONDITIONS_NOT_SATISFIED) };
    const data = cmd.data ?? new Uint8Array(0);
    try {
      switch (st.n) {
        case 1: {
          const alg = cipherAlg(st.info.cipher);
          const s = new Uint8Array(randomBytes(alg === 'DESede' ? 8 : 16));
          this.step = { n: 2, info: st.info, group: st.group, s: bytesToBigInt(s) };
          return { response: answer(0x80, encryptNonce(st.kPi, alg, s)) };
        }
        case 2: {
          const pkMapIfd = st.group.decode(dynamicData(data, 0x81, 'GA2'));
          const sk = st.group.randomScalar();
          const h = st.group.mul(pkMapIfd, sk);
          const mapped = st.group.withGenerator(st.group.add(st.group.mul(st.group.generator, st.s), h));
          this.step = { n: 3, info: st.info, mapped };
          return { response: answer(0x82, st.group.encode(st.group.mul(st.group.generator, sk))) };
        }
        case 3: {
          const pkIfd = dynamicData(data, 0x83, 'GA3');
          const sk = st.mapped.randomScalar();
          const pkIc = st.mapped.encode(st.mapped.mul(st.mapped.generator, sk));
          const keys = sessionKeys(st.mapped.secret(st.mapped.mul(st.mapped.decode(pkIfd), sk)), cipherAlg(st.info.cipher));
          this.step = { n: 4, info: st.info, keys, pkIfd, pkIc };
          return { response: answer(0x84, pkIc) };
        }
        case 4: {
          this.step = undefined;
          const tIfd = dynamicData(data, 0x85, 'GA4');
          if (!equalBytes(tIfd, authToken(st.keys, st.info.protocol, st.info.agreement, st.pkIc))) {
            return { response: status(this.secrets.wrongKeySw ?? SW.VERIFY_FAILED) }; // wrong password on the terminal side
          }
          return {
            response: answer(0x86, authToken(st.keys, st.info.protocol, st.info.agreement, st.pkIfd)),
            session: freshSession(st.keys),
          };
        }
      }
    } catch {
      this.step = undefined;
      return { response: status(SW.WRONG_DATA) };
    }
  }
}
