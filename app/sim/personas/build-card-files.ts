/**
 * Builds the files of a persona's chip, signed by the test PKI: EF.COM, DG1, DG2, DG13, DG14,
 * DG15, EF.SOD and EF.CardAccess, keyed by file identifier, plus everything a test needs to open
 * and judge the card (MRZ, ID, CAN, the chip's private keys, the trust store that accepts it).
 * Forgery options produce the negative cases passive authentication must catch.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { buildDg13 } from '../../core/cccd/dg13.ts';
import { buildCom } from '../../core/icao/lds/com.ts';
import { buildDg1 } from '../../core/icao/lds/dg1.ts';
import { buildDg2 } from '../../core/icao/lds/dg2.ts';
import { buildDg14 } from '../../core/icao/lds/dg14.ts';
import { buildDg15 } from '../../core/icao/lds/dg15.ts';
import { LDS_FILES, fileForDg } from '../../core/icao/lds/files.ts';
import { OID, encodeSecurityInfos, type SecurityInfoInput } from '../../core/icao/lds/security-infos.ts';
import { buildMrz, type BacKeyInput, type MrzFields } from '../../core/icao/mrz.ts';
import type { TrustStore } from '../../core/icao/passive-auth.ts';
import { getTestPki, type KeyedCertificate, type PkiProfile } from '../pki/test-pki.ts';
import { signSod } from '../pki/sod-signer.ts';
import { getPersona, type Persona } from './personas.ts';
import { personaPortrait } from './portraits.ts';

export type Forgery =
  /** DG1 rewritten (other name, valid check digits) after signing: PA_HASH_MISMATCH. */
  | 'altered-dg1'
  /** One portrait byte changed after signing: PA_HASH_MISMATCH. */
  | 'altered-dg2'
  /** DG13 name changed after signing: PA_HASH_MISMATCH. */
  | 'altered-dg13'
  /** SOD signed by a Document Signer under a CSCA nobody trusts: PA_DSC_UNTRUSTED. */
  | 'wrong-signer'
  /**
   * SOD signed by a self-signed Document Signer naming no known CSCA: PA_NO_TRUST_ANCHOR, which a
   * kiosk cannot tell from a genuine card whose CSCA it lacks. Only the central service can.
   */
  | 'self-signed-signer'
  /** SOD signed under an expired Document Signer certificate: PA_DSC_UNTRUSTED (DSC_EXPIRED). */
  | 'expired-dsc'
  /** Signature made with a key that is not the embedded DSC's: PA_SIGNATURE_INVALID. */
  | 'bad-signature';

export interface BuildCardOptions {
  readonly forgery?: Forgery;
  /** Use another key family than the persona's (to run PA over every profile). */
  readonly pki?: PkiProfile;
  /** SOD signing time (default: 2025-01-01, inside every test DSC's validity). */
  readonly signingTime?: Date;
  /** SOD variants seen in the field: signer named by key id, ECDSA signature as plain r||s. */
  readonly sodVariant?: { readonly signerIdentifier?: 'subjectKeyIdentifier'; readonly ecdsaEncoding?: 'p1363' };
}

export interface ChipKeys {
  readonly chipAuthentication?: { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly curve: string };
  readonly activeAuthentication?: { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly kind: 'rsa' | 'ec' };
}

export interface CardFiles {
  readonly persona: Persona;
  /** File identifier (e.g. 0x0101 for DG1) → file bytes. */
  readonly files: ReadonlyMap<number, Uint8Array>;
  /** Data-group number → file bytes (the same arrays). */
  readonly dataGroups: ReadonlyMap<number, Uint8Array>;
  /** The MRZ, lines joined with "\n". */
  readonly mrz: string;
  readonly bacKey: BacKeyInput;
  readonly idNumber?: string;
  /** PACE CAN = last 6 digits of the ID (CCCD personas). */
  readonly can?: string;
  readonly chipKeys: ChipKeys;
  /** A trust store holding the persona's CSCA (and an empty CRL). */
  readonly trust: TrustStore;
}

const keyCache = new Map<string, ChipKeys>();

/** The chip's own CA/AA keys: generated once per persona per process. */
function chipKeysFor(p: Persona): ChipKeys {
  const hit = keyCache.get(p.id);
  if (hit) return hit;
  const keys: { -readonly [K in keyof ChipKeys]: ChipKeys[K] } = {};
  if (p.chip.chipAuthentication) {
    const curve = p.chip.chipAuthentication.curve;
    keys.chipAuthentication = { ...generateKeyPairSync('ec', { namedCurve: curve }), curve };
  }
  if (p.chip.activeAuthentication) {
    const k = p.chip.activeAuthentication.key;
    keys.activeAuthentication = k.startsWith('rsa')
      ? { ...generateKeyPairSync('rsa', { modulusLength: k === 'rsa-1024' ? 1024 : 2048 }), kind: 'rsa' }
      : { ...generateKeyPairSync('ec', { namedCurve: k.slice(3) }), kind: 'ec' };
  }
  keyCache.set(p.id, keys);
  return keys;
}

const spki = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));

/** EF.CardAccess like the Vietnamese cards' (reference §1.3): TA v1, CA-ECDH-AES128, PACE-ECDH-GM-AES128 on parameter 13. */
function cardAccess(p: Persona): Uint8Array {
  const infos: SecurityInfoInput[] = [{ kind: 'TerminalAuthenticationInfo', version: 1 }];
  if (p.chip.chipAuthentication) infos.push({ kind: 'ChipAuthenticationInfo', protocol: OID.CA_ECDH_AES_CBC_CMAC_128, version: 1 });
  infos.push({ kind: 'PACEInfo', protocol: OID.PACE_ECDH_GM_AES_CBC_CMAC_128, version: 2, parameterId: 13 });
  return encodeSecurityInfos(infos);
}

function mrzText(p: Persona, override?: Partial<MrzFields>): string {
  return buildMrz({ ...p.mrz, ...override });
}

export async function buildCardFiles(personaOrId: Persona | string, options: BuildCardOptions = {}): Promise<CardFiles> {
  const persona = typeof personaOrId === 'string' ? getPersona(personaOrId) : personaOrId;
  const pki = getTestPki(options.pki ?? persona.pki);
  const keys = chipKeysFor(persona);
  const mrz = mrzText(persona);

  const dgs = new Map<number, Uint8Array>();
  dgs.set(1, buildDg1(mrz));
  dgs.set(2, buildDg2({ ...(await personaPortrait(persona.portrait)), gender: persona.gender }));
  if (persona.dg13) dgs.set(13, buildDg13(persona.dg13));
  if (keys.chipAuthentication) {
    dgs.set(14, buildDg14([
      { kind: 'ChipAuthenticationInfo', protocol: OID.CA_ECDH_AES_CBC_CMAC_128, version: 1 },
      { kind: 'ChipAuthenticationPublicKeyInfo', protocol: OID.PK_ECDH, publicKey: spki(keys.chipAuthentication.publicKey) },
      ...(keys.activeAuthentication?.kind === 'ec'
        ? [{ kind: 'ActiveAuthenticationInfo', version: 1, signatureAlgorithm: '0.4.0.127.0.7.1.1.4.1.3' } as const] // ecdsa-plain-SHA256
        : []),
    ]));
  }
  if (keys.activeAuthentication) dgs.set(15, buildDg15(spki(keys.activeAuthentication.publicKey)));

  const signer: KeyedCertificate =
    options.forgery === 'wrong-signer' ? pki.rogueDsc
      : options.forgery === 'expired-dsc' ? pki.expiredDsc
      : options.forgery === 'self-signed-signer' ? pki.selfSignedDsc
      : pki.dsc;
  const signingTime = options.signingTime ?? (options.forgery === 'expired-dsc' ? new Date(Date.UTC(2019, 0, 1)) : new Date(Date.UTC(2025, 0, 1)));
  const sod = signSod({
    dataGroups: dgs,
    dataGroupHash: pki.dataGroupHash,
    certificate: signer.certificate,
    // bad-signature: the SignerInfo names the rogue key's scheme, but the embedded DSC's key does not match.
    signingKey: options.forgery === 'bad-signature' ? pki.rogueCsca.privateKey : signer.privateKey,
    scheme: options.forgery === 'bad-signature' ? pki.rogueCsca.scheme
      : signer.scheme.kind === 'ecdsa' && options.sodVariant?.ecdsaEncoding ? { ...signer.scheme, encoding: options.sodVariant.ecdsaEncoding } : signer.scheme,
    signingTime,
    ...(options.sodVariant?.signerIdentifier ? { signerIdentifier: options.sodVariant.signerIdentifier } : {}),
  });

  applyForgery(dgs, persona, options.forgery);

  const files = new Map<number, Uint8Array>();
  files.set(LDS_FILES.COM.fid, buildCom([...dgs.keys()]));
  for (const [n, bytes] of dgs) files.set(fileForDg(n)!.fid, bytes);
  files.set(LDS_FILES.SOD.fid, sod);
  if (persona.chip.pace) files.set(LDS_FILES.CardAccess.fid, cardAccess(persona));

  const m = persona.mrz;
  return {
    persona, files, dataGroups: dgs, mrz,
    bacKey: { documentNumber: m.documentNumber, dateOfBirth: m.dateOfBirth, dateOfExpiry: m.dateOfExpiry },
    ...(persona.idNumber ? { idNumber: persona.idNumber, can: persona.idNumber.slice(6) } : {}),
    chipKeys: keys,
    trust: { anchors: [pki.csca.certificate], crls: [pki.emptyCrl] },
  };
}

/** Changes a data group after the SOD was signed (the file still parses; only its hash is wrong). */
function applyForgery(dgs: Map<number, Uint8Array>, p: Persona, forgery: Forgery | undefined): void {
  if (forgery === 'altered-dg1') {
    dgs.set(1, buildDg1(mrzText(p, { surname: `${p.mrz.surname}X` })));
  } else if (forgery === 'altered-dg2') {
    const dg2 = dgs.get(2)!.slice();
    dg2[dg2.length - 100] = dg2.at(-100)! ^ 0x01; // inside the image data, well before the JPEG/J2K end marker
    dgs.set(2, dg2);
  } else if (forgery === 'altered-dg13') {
    if (!p.dg13) throw new RangeError(`persona ${p.id} has no DG13 to alter`);
    dgs.set(13, buildDg13({ ...p.dg13, fullName: `${p.dg13.fullName ?? ''} Giả` }));
  }
}
