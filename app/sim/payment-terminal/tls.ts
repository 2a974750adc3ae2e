/**
 * The simulated terminal's TLS identity: a self-signed P-256 certificate for 127.0.0.1 and
 * localhost, made fresh at each start (a real terminal carries its vendor's device certificate; the
 * kiosk trusts it by the CA file in its profile, here by the PEM the simulator hands out).
 */
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { derSequence, encodeOid, encodeTlv } from '../../core/icao/tlv.ts';
import { buildCertificate, extension, toPem } from '../pki/x509.ts';

export interface TlsIdentity {
  readonly certPem: string;
  readonly keyPem: string;
}

export function selfSignedIdentity(commonName: string): TlsIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = { country: 'VN', organization: 'cccd-kiosk simulated payment terminal (not a real device)', commonName };
  const san = derSequence(encodeTlv(0x82, new TextEncoder().encode('localhost')), encodeTlv(0x87, Uint8Array.of(127, 0, 0, 1)));
  const now = Date.now();
  const der = buildCertificate({
    serial: randomInt(1, 2 ** 47),
    subject: name,
    issuer: name,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 825 * 86_400_000),
    publicKey,
    signingKey: privateKey,
    scheme: { kind: 'ecdsa', hash: 'sha256' },
    // Its own anchor: OpenSSL accepts a self-signed trust anchor only with certificate signing allowed.
    ca: true,
    keyUsage: ['digitalSignature', 'keyCertSign'],
    extensions: [extension('2.5.29.37', false, derSequence(encodeOid('1.3.6.1.5.5.7.3.1'))), extension('2.5.29.17', false, san)],
  });
  return { certPem: toPem(der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}
