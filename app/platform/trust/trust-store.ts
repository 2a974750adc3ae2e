/**
 * Loads the passive-authentication trust store from disk: a file or a folder of CSCA certificates
 * (PEM or DER; .pem/.crt/.cer/.der), CSCA master lists (.ml, CMS) and CRLs (.crl, PEM or DER).
 * Unreadable entries are skipped with a reason (reported, never fatal): one bad file must not take
 * every other anchor down with it.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { KioskError } from '../../core/errors.ts';
import { parseMasterList } from '../../core/icao/passive-auth-master-list.ts';
import type { TrustStore } from '../../core/icao/passive-auth.ts';

export interface TrustSource {
  readonly file: string;
  readonly kind: 'certificate' | 'master-list' | 'crl';
  readonly count: number;
}

export interface LoadedTrustStore extends TrustStore {
  readonly sources: readonly TrustSource[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

const CERT_EXT = new Set(['.pem', '.crt', '.cer', '.der']);
const IGNORED_EXT = new Set(['.md', '.txt', '.json', '.yaml', '.yml']);

function pemBlocks(text: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(re)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

const isPem = (b: Buffer) => b.subarray(0, 64).toString('latin1').includes('-----BEGIN');

function listFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new KioskError('TRUST_STORE_NOT_FOUND', `trust store path does not exist: ${path}`, { path });
  }
  if (st.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(path, e.name)) : e.isFile() ? [join(path, e.name)] : []))
    .sort();
}

export function loadTrustStore(path: string): LoadedTrustStore {
  const anchors = new Map<string, Uint8Array>();
  const crls: Uint8Array[] = [];
  const sources: TrustSource[] = [];
  const skipped: { file: string; reason: string }[] = [];

  const addCertificate = (der: Uint8Array): boolean => {
    try {
      const c = new X509Certificate(Buffer.from(der));
      anchors.set(c.fingerprint256, der);
      return true;
    } catch {
      return false;
    }
  };

  for (const file of listFiles(path)) {
    const ext = extname(file).toLowerCase();
    if (IGNORED_EXT.has(ext)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      skipped.push({ file, reason: 'unreadable' });
      continue;
    }
    try {
      if (ext === '.ml') {
        const certs = parseMasterList(new Uint8Array(bytes));
        const n = certs.filter(addCertificate).length;
        sources.push({ file, kind: 'master-list', count: n });
        if (n < certs.length) skipped.push({ file, reason: `${certs.length - n} certificate(s) in the master list could not be loaded` });
      } else if (ext === '.crl') {
        const list = isPem(bytes) ? pemBlocks(bytes.toString('latin1'), 'X509 CRL') : [new Uint8Array(bytes)];
        crls.push(...list);
        sources.push({ file, kind: 'crl', count: list.length });
      } else if (CERT_EXT.has(ext)) {
        const text = isPem(bytes) ? bytes.toString('latin1') : undefined;
        const certs = text ? pemBlocks(text, 'CERTIFICATE') : [new Uint8Array(bytes)];
        const n = certs.filter(addCertificate).length;
        if (text) {
          const pemCrls = pemBlocks(text, 'X509 CRL');
          crls.push(...pemCrls);
          if (pemCrls.length) sources.push({ file, kind: 'crl', count: pemCrls.length });
        }
        if (n === 0 && certs.length > 0) skipped.push({ file, reason: 'not a readable X.509 certificate' });
        else if (n > 0) sources.push({ file, kind: 'certificate', count: n });
      } else {
        skipped.push({ file, reason: `unknown file type '${ext}'` });
      }
    } catch (e) {
      skipped.push({ file, reason: e instanceof KioskError ? e.code : 'unreadable' });
    }
  }
  return { anchors: [...anchors.values()], crls, sources, skipped };
}
