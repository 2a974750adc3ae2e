import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';

/**
 * Minimal X.509 issuance for the reference server's demo PKI (TLS server, kiosk clients). Made by
 * code with pkijs on Node's WebCrypto so no binary or pasted certificate is needed.
 */
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

export type KeyKind = 'ec-p256' | 'rsa-2048';

export interface KeyPairPem {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export async function generateKeyPair(kind: KeyKind): Promise<CryptoKeyPair> {
  const alg =
    kind === 'ec-p256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function pem(label: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export async function exportKeyPair(pair: CryptoKeyPair): Promise<KeyPairPem> {
  return {
    privateKeyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)),
    publicKeyPem: pem('PUBLIC KEY', await webcrypto.subtle.exportKey('spki', pair.publicKey)),
  };
}

/** Re-imports a PEM private key for signing certificates (the key's algorithm decides the signature). */
export async function importSigningKey(privateKeyPem: string): Promise<CryptoKey> {
  const key: KeyObject = createPrivateKey(privateKeyPem);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const alg = key.asymmetricKeyType === 'ec' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']) as Promise<CryptoKey>;
}

export async function importPublicKey(publicKeyPem: string, kind: KeyKind): Promise<CryptoKey> {
  const der = Buffer.from(publicKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const alg = kind === 'ec-p256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return webcrypto.subtle.importKey('spki', der, alg, true, ['verify']) as Promise<CryptoKey>;
}

export interface CertSpec {
  readonly commonName: string;
  readonly organization?: string;
  readonly publicKey: CryptoKey;
  /** Signs the certificate; for a self-signed CA, its own private key. */
  readonly issuerKey: CryptoKey;
  /** Issuer certificate (PEM); absent for self-signed. */
  readonly issuerCertPem?: string;
  readonly ca?: boolean;
  readonly usage?: 'server' | 'client';
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly days: number;
  readonly notBefore?: Date;
}

function setName(name: pkijs.RelativeDistinguishedNames, cn: string, o?: string): void {
  name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.6', value: new asn1js.PrintableString({ value: 'VN' }) }));
  if (o) name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: o }) }));
  name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }));
}

function ext(extnID: string, critical: boolean, value: { toSchema(): asn1js.AsnType } | asn1js.AsnType): pkijs.Extension {
  const schema = 'toSchema' in value ? value.toSchema() : value;
  return new pkijs.Extension({ extnID, critical, extnValue: schema.toBER(false) });
}

function certFromPem(certPem: string): pkijs.Certificate {
  const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return pkijs.Certificate.fromBER(der);
}

export async function issueCertificate(spec: CertSpec): Promise<string> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  setName(cert.subject, spec.commonName, spec.organization);
  if (spec.issuerCertPem) cert.issuer = certFromPem(spec.issuerCertPem).subject;
  else setName(cert.issuer, spec.commonName, spec.organization);
  const from = spec.notBefore ?? new Date(Date.now() - 60_000);
  cert.notBefore.value = from;
  cert.notAfter.value = new Date(from.getTime() + spec.days * 86_400_000);
  await cert.subjectPublicKeyInfo.importKey(spec.publicKey);

  const extensions = [ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: spec.ca === true }))];
  // keyUsage bits: digitalSignature(0) = 0x80, keyEncipherment(2) = 0x20, keyCertSign(5) = 0x04, cRLSign(6) = 0x02
  const [ku, unused] = spec.ca ? [0x06, 1] : [0xa0, 5];
  extensions.push(ext('2.5.29.15', true, new asn1js.BitString({ valueHex: Uint8Array.of(ku).buffer, unusedBits: unused })));
  if (spec.usage) {
    const eku = spec.usage === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2';
    extensions.push(ext('2.5.29.37', false, new pkijs.ExtKeyUsage({ keyPurposes: [eku] })));
  }
  const names = [
    ...(spec.dnsNames ?? []).map((d) => new pkijs.GeneralName({ type: 2, value: d })),
    ...(spec.ipAddresses ?? []).map(
      (ip) => new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: Uint8Array.from(ip.split('.').map(Number)).buffer }) }),
    ),
  ];
  if (names.length > 0) extensions.push(ext('2.5.29.17', false, new pkijs.GeneralNames({ names })));
  cert.extensions = extensions;
  await cert.sign(spec.issuerKey, 'SHA-256');
  return pem('CERTIFICATE', cert.toSchema(true).toBER(false));
}
