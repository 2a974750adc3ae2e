import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomInt, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { derSequence, encodeOid, encodeTlv } from '../../core/icao/tlv.ts';
import { buildCertificate, extension, keyIdentifier, toPem, type DistinguishedName } from '../pki/x509.ts';

/**
 * The reference server's demo PKI, generated on first use into `<dir>`:
 *   ca.crt / ca.key                 RAR demo CA: issues the server's TLS certificate and kiosk client certificates
 *   server.crt / server.key         TLS server certificate for localhost / 127.0.0.1
 *   signing-ec.key / .pub.pem       response-signing keys (ECDSA P-256 and RSA-2048)
 *   signing-rsa.key / .pub.pem
 *   terminals/<id>.crt / .key       one client certificate per kiosk terminal
 * Certificates are written by the test PKI's X.509 builder; private keys are written 0600 and are
 * never committed (this module is their generator).
 */
export interface DemoPki {
  readonly dir: string;
  readonly caCert: string;
  readonly caCertFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** base64 SHA-256 of the server certificate's SubjectPublicKeyInfo (the client's pin). */
  readonly serverSpkiSha256: string;
  readonly signingKeyFile: Record<SigningAlg, string>;
  readonly signingPublicKeyFile: Record<SigningAlg, string>;
}

export type SigningAlg = 'ES256' | 'RS256';

export interface TerminalCredentials {
  readonly terminalId: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** hex SHA-256 of the certificate DER: what the server enrols. */
  readonly certSha256: string;
}

const ORG = 'cccd-kiosk demo RAR (not a real authority)';
const CA_NAME: DistinguishedName = { country: 'VN', organization: ORG, commonName: 'cccd-kiosk demo RAR CA' };
const ECDSA_SHA256 = { kind: 'ecdsa', hash: 'sha256' } as const;
const OID_EKU = '2.5.29.37';
const OID_SAN = '2.5.29.17';

export function spkiSha256(certPem: string): string {
  const spki = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export function certSha256(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

const spkiDer = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));

/** Loads a key pair from `<base>.key`, generating and writing it (0600) first if absent. */
function keyPair(dir: string, base: string, kind: 'ec' | 'rsa'): { key: string; pub: string; privateKey: KeyObject; publicKey: KeyObject } {
  const key = join(dir, `${base}.key`);
  const pub = join(dir, `${base}.pub.pem`);
  if (!existsSync(key)) {
    const pair = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(key, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  }
  const privateKey = createPrivateKey(readFileSync(key));
  return { key, pub, privateKey, publicKey: createPublicKey(privateKey) };
}

interface Ca {
  readonly privateKey: KeyObject;
  readonly keyId: Uint8Array;
}

function issue(file: string, ca: Ca, subject: DistinguishedName, publicKey: KeyObject, extensions: Uint8Array[], isCa = false): void {
  if (existsSync(file)) return;
  const now = Date.now();
  const der = buildCertificate({
    serial: randomInt(1, 2 ** 47),
    subject,
    issuer: CA_NAME,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + (isCa ? 3650 : 825) * 86_400_000),
    publicKey,
    issuerKeyId: ca.keyId,
    signingKey: ca.privateKey,
    scheme: ECDSA_SHA256,
    ca: isCa,
    extensions,
  });
  writeFileSync(file, toPem(der));
}

const eku = (oid: string) => extension(OID_EKU, false, derSequence(encodeOid(oid)));

function loadCa(dir: string): Ca {
  const ca = keyPair(dir, 'ca', 'ec');
  return { privateKey: ca.privateKey, keyId: keyIdentifier(spkiDer(ca.publicKey)) };
}

/** Creates the PKI in `dir` if absent; reuses what is there. */
export async function ensureDemoPki(dir: string): Promise<DemoPki> {
  mkdirSync(join(dir, 'terminals'), { recursive: true });
  const ca = loadCa(dir);
  const caCertFile = join(dir, 'ca.crt');
  issue(caCertFile, ca, CA_NAME, createPublicKey(ca.privateKey), [], true);
  const server = keyPair(dir, 'server', 'ec');
  const serverCertFile = join(dir, 'server.crt');
  const san = derSequence(encodeTlv(0x82, new TextEncoder().encode('localhost')), encodeTlv(0x87, Uint8Array.of(127, 0, 0, 1)));
  issue(serverCertFile, ca, { country: 'VN', organization: ORG, commonName: 'localhost' }, server.publicKey, [eku('1.3.6.1.5.5.7.3.1'), extension(OID_SAN, false, san)]);
  const ec = keyPair(dir, 'signing-ec', 'ec');
  const rsa = keyPair(dir, 'signing-rsa', 'rsa');
  return {
    dir,
    caCert: readFileSync(caCertFile, 'utf8'),
    caCertFile,
    serverCertFile,
    serverKeyFile: server.key,
    serverSpkiSha256: spkiSha256(readFileSync(serverCertFile, 'utf8')),
    signingKeyFile: { ES256: ec.key, RS256: rsa.key },
    signingPublicKeyFile: { ES256: ec.pub, RS256: rsa.pub },
  };
}

/** Issues (or reuses) a kiosk client certificate; enrolment on the server is a separate step. */
export async function ensureTerminalCredentials(pki: DemoPki, terminalId: string): Promise<TerminalCredentials> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(terminalId)) throw new Error(`terminal id ${JSON.stringify(terminalId)} is not a safe file name`);
  const dir = join(pki.dir, 'terminals');
  const { key, publicKey } = keyPair(dir, terminalId, 'ec');
  const certFile = join(dir, `${terminalId}.crt`);
  issue(certFile, loadCa(pki.dir), { country: 'VN', organization: ORG, commonName: terminalId }, publicKey, [eku('1.3.6.1.5.5.7.3.2')]);
  return { terminalId, certFile, keyFile: key, certSha256: certSha256(readFileSync(certFile, 'utf8')) };
}
