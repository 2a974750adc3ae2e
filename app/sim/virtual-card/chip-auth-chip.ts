/**
 * The chip's half of Chip Authentication and Active Authentication, for the virtual chip.
 * A "cloned" chip has the same files but keys that do not match DG14/DG15, so CA and AA fail
 * exactly as they would on a copied card.
 */
import { constants, createHash, createPublicKey, generateKeyPairSync, privateEncrypt, randomBytes, sign, type KeyObject } from 'node:crypto';
import { SW, type CommandApdu, type ResponseApdu } from '../../core/icao/apdu.ts';
import { ecdsaHashFor } from '../../core/icao/active-auth.ts';
import { concatBytes, type CipherAlg } from '../../core/icao/crypto.ts';
import { cipherAlg, dynamicData, freshSession, sessionKeys } from '../../core/icao/pace.ts';
import { bytesToBigInt, keyFromSpki, type Group } from '../../core/icao/pace-groups.ts';
import type { SecureMessaging } from '../../core/icao/secure-messaging.ts';
import { decodeOid, decodeTlv, decodeTlvAt, tlvChildren } from '../../core/icao/tlv.ts';

export interface ChipPrivateKeys {
  /** Chip Authentication key (EC) matching DG14. */
  readonly ca?: KeyObject;
  /** Active Authentication key (RSA or EC) matching DG15. */
  readonly aa?: KeyObject;
}

/** Keys of the same types that match nothing on the card: what a clone would have. */
export function cloneKeys(keys: ChipPrivateKeys): ChipPrivateKeys {
  const again = (k: KeyObject): KeyObject => {
    const d = k.asymmetricKeyDetails!;
    return k.asymmetricKeyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: d.modulusLength! }).privateKey
      : generateKeyPairSync('ec', { namedCurve: d.namedCurve! }).privateKey;
  };
  return { ...(keys.ca ? { ca: again(keys.ca) } : {}), ...(keys.aa ? { aa: again(keys.aa) } : {}) };
}

/** The private scalar of an EC key, from PKCS#8 (JWK export does not cover brainpool curves). */
function ecPrivateScalar(key: KeyObject): bigint {
  const pkcs8 = decodeTlv(new Uint8Array(key.export({ type: 'pkcs8', format: 'der' })));
  const ecPrivateKey = decodeTlv(tlvChildren(pkcs8)[2]!.value); // OCTET STRING { ECPrivateKey }
  return bytesToBigInt(tlvChildren(ecPrivateKey)[1]!.value);
}

const status = (sw: number): ResponseApdu => ({ data: new Uint8Array(0), sw });
const CA_CIPHERS: Record<string, CipherAlg> = { '1': 'DESede', '2': 'AES-128', '3': 'AES-192', '4': 'AES-256' };

export class AuthChipSide {
  private caAlg: CipherAlg | undefined;

  constructor(private readonly keys: ChipPrivateKeys) {}

  reset(): void {
    this.caAlg = undefined;
  }

  private agree(pkEph: Uint8Array, alg: CipherAlg): SecureMessaging {
    const ca = this.keys.ca!;
    const spki = new Uint8Array(createPublicKey(ca).export({ type: 'spki', format: 'der' }));
    const { group } = keyFromSpki(spki) as { group: Group<unknown> };
    const d = ecPrivateScalar(ca);
    return freshSession(sessionKeys(group.secret(group.mul(group.decode(pkEph), d)), alg));
  }

  /** MSE:Set AT (41 A4) naming a CA protocol: remember the cipher for the GENERAL AUTHENTICATE. */
  setAt(cmd: CommandApdu): ResponseApdu {
    if (!this.keys.ca) return status(SW.REFERENCED_DATA_NOT_FOUND);
    try {
      const t = decodeTlvAt(cmd.data ?? new Uint8Array(0), 0);
      const oid = t.tag === 0x80 ? decodeOid(t.value) : '';
      const arcs = oid.split('.');
      const alg = oid.startsWith('0.4.0.127.0.7.2.2.3.') ? CA_CIPHERS[arcs[10] ?? ''] : undefined;
      if (!alg) return status(SW.REFERENCED_DATA_NOT_FOUND);
      this.caAlg = alg;
      return status(SW.OK);
    } catch {
      return status(SW.WRONG_DATA);
    }
  }

  /** GENERAL AUTHENTICATE 7C{80 PK} after Set AT: answers 7C{} and returns the new session. */
  generalAuthenticate(cmd: CommandApdu): { response: ResponseApdu; session?: SecureMessaging } {
    const alg = this.caAlg;
    this.caAlg = undefined;
    if (!alg || !this.keys.ca) return { response: status(SW.CONDITIONS_NOT_SATISFIED) };
    try {
      const session = this.agree(dynamicData(cmd.data ?? new Uint8Array(0), 0x80, 'CA'), alg);
      return { response: { data: Uint8Array.of(0x7c, 0x00), sw: SW.OK }, session };
    } catch {
      return { response: status(SW.WRONG_DATA) };
    }
  }

  /** MSE:Set KAT (41 A6) for 3DES CA: the key agreement happens at once. */
  setKat(cmd: CommandApdu): { response: ResponseApdu; session?: SecureMessaging } {
    if (!this.keys.ca) return { response: status(SW.REFERENCED_DATA_NOT_FOUND) };
    try {
      const t = decodeTlvAt(cmd.data ?? new Uint8Array(0), 0);
      if (t.tag !== 0x91) return { response: status(SW.WRONG_DATA) };
      return { response: status(SW.OK), session: this.agree(t.value, cipherAlg('3DES')) };
    } catch {
      return { response: status(SW.WRONG_DATA) };
    }
  }

  /** INTERNAL AUTHENTICATE: sign the challenge (ISO 9796-2 scheme 1 with SHA-1 for RSA, plain ECDSA for EC). */
  internalAuthenticate(cmd: CommandApdu): ResponseApdu {
    const key = this.keys.aa;
    const challenge = cmd.data ?? new Uint8Array(0);
    if (!key) return status(SW.INS_NOT_SUPPORTED);
    if (challenge.length !== 8) return status(SW.WRONG_LENGTH);
    if (key.asymmetricKeyType === 'rsa') {
      const k = key.asymmetricKeyDetails!.modulusLength! / 8;
      const m1 = new Uint8Array(randomBytes(k - 22));
      const h = createHash('sha1').update(m1).update(challenge).digest();
      const f = concatBytes(Uint8Array.of(0x6a), m1, h, Uint8Array.of(0xbc));
      return { data: new Uint8Array(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, f)), sw: SW.OK };
    }
    const fieldBytes = Math.ceil((Number(/\d+/.exec(key.asymmetricKeyDetails!.namedCurve ?? '256')?.[0] ?? 256)) / 8);
    return { data: new Uint8Array(sign(ecdsaHashFor(undefined, fieldBytes), challenge, { key, dsaEncoding: 'ieee-p1363' })), sw: SW.OK };
  }
}
