import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportKeyPair, generateKeyPair, importSigningKey, issueCertificate, type KeyKind } from './x509.ts';

/**
 * The reference server's demo PKI, generated on first use into `<dir>`:
 *   ca.crt / ca.key                 RAR demo CA: issues the server's TLS certificate and kiosk client certificates
 *   server.crt / server.key         TLS server certificate for localhost / 127.0.0.1
 *   signing-ec.key / .pub.pem       response-signing keys (ECDSA P-256 and RSA-2048)
 *   signing-rsa.key / .pub.pem
 *   terminals/<id>.crt / .key       one client certificate per kiosk terminal
 * Private keys are written 0600 and are never committed; this module is their generator.
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

const ORG = 'cccd-kiosk demo RAR';

function write(file: string, text: string, secret = false): void {
  writeFileSync(file, text, { mode: secret ? 0o600 : 0o644 });
}

export function spkiSha256(certPem: string): string {
  const spki = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export function certSha256(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

async function keyFiles(dir: string, base: string, kind: KeyKind): Promise<{ key: string; pub: string }> {
  const key = join(dir, `${base}.key`);
  const pub = join(dir, `${base}.pub.pem`);
  if (!existsSync(key)) {
    const pair = await exportKeyPair(await generateKeyPair(kind));
    write(key, pair.privateKeyPem, true);
    write(pub, pair.publicKeyPem);
  }
  return { key, pub };
}

/** Creates the PKI in `dir` if absent; reuses what is there. */
export async function ensureDemoPki(dir: string): Promise<DemoPki> {
  mkdirSync(join(dir, 'terminals'), { recursive: true });
  const caCertFile = join(dir, 'ca.crt');
  const ca = await keyFiles(dir, 'ca', 'ec-p256');
  if (!existsSync(caCertFile)) {
    const caKey = await importSigningKey(readFileSync(ca.key, 'utf8'));
    const caPub = await importPub(ca.pub);
    write(caCertFile, await issueCertificate({ commonName: 'cccd-kiosk demo RAR CA', organization: ORG, publicKey: caPub, issuerKey: caKey, ca: true, days: 3650 }));
  }
  const caCert = readFileSync(caCertFile, 'utf8');
  const server = await keyFiles(dir, 'server', 'ec-p256');
  const serverCertFile = join(dir, 'server.crt');
  if (!existsSync(serverCertFile)) {
    write(
      serverCertFile,
      await issueCertificate({
        commonName: 'localhost',
        organization: ORG,
        publicKey: await importPub(server.pub),
        issuerKey: await importSigningKey(readFileSync(ca.key, 'utf8')),
        issuerCertPem: caCert,
        usage: 'server',
        dnsNames: ['localhost'],
        ipAddresses: ['127.0.0.1'],
        days: 825,
      }),
    );
  }
  const ec = await keyFiles(dir, 'signing-ec', 'ec-p256');
  const rsa = await keyFiles(dir, 'signing-rsa', 'rsa-2048');
  return {
    dir,
    caCert,
    caCertFile,
    serverCertFile,
    serverKeyFile: server.key,
    serverSpkiSha256: spkiSha256(readFileSync(serverCertFile, 'utf8')),
    signingKeyFile: { ES256: ec.key, RS256: rsa.key },
    signingPublicKeyFile: { ES256: ec.pub, RS256: rsa.pub },
  };
}

async function importPub(pubFile: string): Promise<CryptoKey> {
  const { importPublicKey } = await import('./x509.ts');
  const pemText = readFileSync(pubFile, 'utf8');
  const kind: KeyKind = createPublicKey(pemText).asymmetricKeyType === 'ec' ? 'ec-p256' : 'rsa-2048';
  return importPublicKey(pemText, kind);
}

/** Issues (or reuses) a kiosk client certificate; enrolment on the server is a separate step. */
export async function ensureTerminalCredentials(pki: DemoPki, terminalId: string): Promise<TerminalCredentials> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(terminalId)) throw new Error(`terminal id ${JSON.stringify(terminalId)} is not a safe file name`);
  const dir = join(pki.dir, 'terminals');
  const { key, pub } = await keyFiles(dir, terminalId, 'ec-p256');
  const certFile = join(dir, `${terminalId}.crt`);
  if (!existsSync(certFile)) {
    write(
      certFile,
      await issueCertificate({
        commonName: terminalId,
        organization: ORG,
        publicKey: await importPub(pub),
        issuerKey: await importSigningKey(readFileSync(join(pki.dir, 'ca.key'), 'utf8')),
        issuerCertPem: pki.caCert,
        usage: 'client',
        days: 825,
      }),
    );
  }
  return { terminalId, certFile, keyFile: key, certSha256: certSha256(readFileSync(certFile, 'utf8')) };
}
