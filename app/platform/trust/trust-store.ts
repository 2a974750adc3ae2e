/**
 * Loads the passive-authentication trust store from disk: a file or a folder of CSCA certificates
 * (PEM or DER; .pem/.crt/.cer/.der), CSCA master lists (.ml, CMS) and CRLs (.crl, PEM or DER).
 * A master list counts only when its signature verifies against a configured signer, or when the
 * profile names the file as trusted as it is. Unreadable or unverified entries are skipped with a
 * reason (reported, never fatal): one bad file must not take every other anchor down with it.
 * Certificates passive authentication will refuse as anchors (not a CA, unknown explicit curve)
 * are kept, so that a DSC naming them fails (PA_DSC_UNTRUSTED) instead of looking unanchored, and
 * are listed in `unfit` for the operator.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { KioskError } from '../../core/errors.ts';
import { parseMasterList, verifyMasterList } from '../../core/icao/passive-auth-master-list.ts';
import { anchorProblem } from '../../core/icao/passive-auth-certificates.ts';
import type { TrustStore } from '../../core/icao/passive-auth.ts';

export interface TrustSource {
  readonly file: string;
  readonly kind: 'certificate' | 'master-list' | 'crl';
  readonly count: number;
  /** How a master list was accepted: its signature verified, or the profile trusts the file. */
  readonly accepted?: 'signature' | 'explicit';
}

export interface LoadedTrustStore extends TrustStore {
  readonly sources: readonly TrustSource[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  /** Anchors passive authentication refuses to rely on, with the reason (e.g. CSCA_NOT_A_CA). */
  readonly unfit: readonly { readonly file: string; readonly subject: string; readonly reason: string }[];
}

export interface TrustOptions {
  /** Certificates (DER) a master list's signer must be, or be issued by (e.g. the publishing state's CSCA). */
  readonly masterListSigners?: readonly Uint8Array[];
  /** Master-list files accepted without a signature check: the operator vouches for each one. */
  readonly trustedMasterLists?: readonly string[];
}

const CERT_EXT = new Set(['.pem', '.crt', '.cer', '.der']);
const IGNORED_EXT = new Set(['.md', '.txt', '.json', '.yaml', '.yml']);

function pemBlocks(text: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(re)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

const isPem = (b: Buffer) => b.subarray(0, 64).toString('latin1').includes('-----BEGIN');

/** The blocks of one kind in a PEM file, or the whole file as one DER object. */
const derObjects = (b: Buffer, pemLabel: string): Uint8Array[] => (isPem(b) ? pemBlocks(b.toString('latin1'), pemLabel) : [new Uint8Array(b)]);

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

/** Certificates (DER) from PEM or DER files: one file, or every certificate file of a folder. */
export function loadCertificates(path: string): Uint8Array[] {
  return listFiles(path)
    .filter((f) => CERT_EXT.has(extname(f).toLowerCase()))
    .flatMap((f) => derObjects(readFileSync(f), 'CERTIFICATE'));
}

export function loadTrustStore(path: string, options: TrustOptions = {}): LoadedTrustStore {
  const anchors = new Map<string, Uint8Array>();
  const crls: Uint8Array[] = [];
  const sources: TrustSource[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const unfit: { file: string; subject: string; reason: string }[] = [];
  const signers = options.masterListSigners ?? [];
  const trustedLists = new Set((options.trustedMasterLists ?? []).map((f) => resolve(f)));

  const addCertificate = (der: Uint8Array, file: string): boolean => {
    try {
      const c = new X509Certificate(Buffer.from(der));
      if (anchors.has(c.fingerprint256)) return true;
      anchors.set(c.fingerprint256, der);
      const problem = anchorProblem(der);
      if (problem) unfit.push({ file, subject: c.subject.replace(/\n/g, ', '), reason: problem });
      return true;
    } catch {
      return false;
    }
  };

  /** The list's certificates when it is signed by a configured signer or trusted by name. */
  const masterList = (file: string, bytes: Uint8Array): { certificates: readonly Uint8Array[]; accepted: 'signature' | 'explicit' } => {
    if (trustedLists.has(resolve(file))) {
      return { certificates: parseMasterList(bytes), accepted: 'explicit' };
    }
    if (signers.length === 0) throw new KioskError('MASTER_LIST_SIGNER_NOT_CONFIGURED', 'no master-list signer is configured and the file is not trusted by name');
    return { certificates: verifyMasterList(bytes, signers).certificates, accepted: 'signature' };
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
        const { certificates: certs, accepted } = masterList(file, new Uint8Array(bytes));
        const n = certs.filter((c) => addCertificate(c, file)).length;
        sources.push({ file, kind: 'master-list', count: n, accepted });
        if (n < certs.length) skipped.push({ file, reason: `${certs.length - n} certificate(s) in the master list could not be loaded` });
      } else if (ext === '.crl') {
        const list = derObjects(bytes, 'X509 CRL');
        crls.push(...list);
        sources.push({ file, kind: 'crl', count: list.length });
      } else if (CERT_EXT.has(ext)) {
        const certs = derObjects(bytes, 'CERTIFICATE');
        const n = certs.filter((c) => addCertificate(c, file)).length;
        if (isPem(bytes)) {
          const pemCrls = pemBlocks(bytes.toString('latin1'), 'X509 CRL');
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
  return { anchors: [...anchors.values()], crls, sources, skipped, unfit };
}

/** The profile's `trust` section (app/core/config/schema.ts); paths as written in the profile. */
export interface TrustConfig {
  readonly paths: readonly string[];
  readonly masterListSigners: readonly string[];
  readonly trustedMasterLists: readonly string[];
}

/** Every trust path of a profile in one store; `resolvePath` makes profile-relative paths absolute. */
export function loadTrustConfig(cfg: TrustConfig, resolvePath: (p: string) => string): LoadedTrustStore {
  const options: TrustOptions = {
    masterListSigners: cfg.masterListSigners.flatMap((p) => loadCertificates(resolvePath(p))),
    trustedMasterLists: cfg.trustedMasterLists.map(resolvePath),
  };
  const stores = cfg.paths.map((p) => loadTrustStore(resolvePath(p), options));
  return {
    anchors: stores.flatMap((s) => s.anchors),
    crls: stores.flatMap((s) => s.crls),
    sources: stores.flatMap((s) => s.sources),
    skipped: stores.flatMap((s) => s.skipped),
    unfit: stores.flatMap((s) => s.unfit),
  };
}
