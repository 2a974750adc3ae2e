import { ParseError } from '../errors.ts';
import type { Verdict, VerificationRequest } from './contract.ts';
import type { EnvelopeMapping } from './config.ts';
import type { DecodedResponse, GatewayAdapter, GatewayCall } from './gateway.ts';
import { parseJson, rawMember } from './raw-json.ts';

/**
 * Signed-envelope gateways ({info, content, signature}, reference §5), driven by a field mapping
 * from the profile. Every contract value of the answer is read from inside the signed member only:
 * the mapping is rejected if it points anywhere else, because those bytes would be unauthenticated.
 */

type Scalar = string | number | boolean;

/** The request as a flat set of named values the mapping can pick from. */
export function requestView(r: VerificationRequest): Record<string, Scalar | undefined> {
  const view: Record<string, Scalar | undefined> = {
    requestId: r.requestId,
    terminalId: r.terminalId,
    createdAt: r.createdAt,
    createdAtMs: Date.parse(r.createdAt),
    variant: r.variant,
    idNumber: r.idNumber,
    dscCert: r.document.dscCert,
    dscCertSha256: r.document.dscCertSha256,
    sod: r.document.sod,
    sodSha256: r.document.sodSha256,
    // JTH-style gateways take the province as the last comma-separated part of the place of origin.
    province: r.dg13.placeOfOrigin?.split(',').at(-1)?.trim(),
    portrait: r.bio?.portrait,
    portraitFormat: r.bio?.portraitFormat,
    faceMatched: r.bio?.faceMatch.matched,
    faceScore: r.bio?.faceMatch.score,
    faceThreshold: r.bio?.faceMatch.threshold,
  };
  for (const [k, v] of Object.entries(r.dg13)) view[`dg13.${k}`] = Array.isArray(v) ? v.join('; ') : v;
  for (const [n, h] of Object.entries(r.document.dgHashes ?? {})) view[`dgHash.${n}`] = h;
  return view;
}

/** Where each invertible view key lives in the contract request (used by a gateway-side decoder). */
const VIEW_TO_CONTRACT: Record<string, string> = {
  requestId: 'requestId',
  terminalId: 'terminalId',
  createdAt: 'createdAt',
  variant: 'variant',
  idNumber: 'idNumber',
  dscCert: 'document.dscCert',
  dscCertSha256: 'document.dscCertSha256',
  sod: 'document.sod',
  sodSha256: 'document.sodSha256',
  portrait: 'bio.portrait',
  portraitFormat: 'bio.portraitFormat',
  faceMatched: 'bio.faceMatch.matched',
  faceScore: 'bio.faceMatch.score',
  faceThreshold: 'bio.faceMatch.threshold',
};

/**
 * The gateway side of the mapping: rebuilds a contract request candidate from an envelope body
 * (the reference server uses it; derived values such as the province are not invertible and are skipped).
 * The caller validates the result against the contract schema.
 */
export function requestFromEnvelope(body: unknown, mapping: EnvelopeMapping): Record<string, unknown> {
  const out: Record<string, unknown> = { version: '1', dg13: {}, document: {} };
  for (const [target, source] of Object.entries(mapping.request)) {
    if (typeof source !== 'string') continue;
    const value = getPath(body, target);
    if (value === undefined) continue;
    if (source.startsWith('dg13.')) setPath(out, source, source === 'dg13.spouseNames' ? String(value).split('; ') : value);
    else if (source.startsWith('dgHash.')) setPath(out, `document.dgHashes.${source.slice(7)}`, value);
    else if (VIEW_TO_CONTRACT[source]) setPath(out, VIEW_TO_CONTRACT[source], value);
  }
  return out;
}

/** Builds an envelope answer per the mapping (gateway side); returns the body with `signedText` inserted verbatim. */
export function envelopeResponseParts(
  mapping: EnvelopeMapping,
  r: { requestId: string; verdict: Verdict; reasons: readonly string[]; transactionCode: string; respondedAt: string },
): { signed: Record<string, unknown>; outer: Record<string, unknown> } {
  const rel = (p: string) => p.slice(mapping.response.signedMember.length + 1);
  const signed: Record<string, unknown> = {};
  setPath(signed, rel(mapping.response.requestId), r.requestId);
  setPath(signed, rel(mapping.response.transactionCode), r.transactionCode);
  setPath(signed, rel(mapping.response.timestamp), r.respondedAt);
  const code = Object.entries(mapping.response.verdict.map).find(([, v]) => v === r.verdict)?.[0];
  setPath(signed, rel(mapping.response.verdict.path), code === undefined ? r.verdict : /^\d+$/.test(code) ? Number(code) : code);
  if (mapping.response.reasons) setPath(signed, rel(mapping.response.reasons), r.reasons);
  const outer: Record<string, unknown> = {};
  if (mapping.response.status) setPath(outer, mapping.response.status.path, mapping.response.status.ok[0]);
  return { signed, outer };
}

export function checkMapping(m: EnvelopeMapping): void {
  const inside = (p: string) => p.startsWith(`${m.response.signedMember}.`);
  const signed = [m.response.requestId, m.response.transactionCode, m.response.timestamp, m.response.verdict.path, ...(m.response.reasons ? [m.response.reasons] : [])];
  const outside = signed.filter((p) => !inside(p));
  if (outside.length > 0) {
    throw new ParseError('ENVELOPE_MAPPING_UNSIGNED', `envelope response paths ${outside.join(', ')} lie outside the signed member ${m.response.signedMember}`);
  }
}

export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (typeof next !== 'object' || next === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const k of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

export function envelopeAdapter(mapping: EnvelopeMapping, apiKey?: string): GatewayAdapter {
  checkMapping(mapping);
  const rel = (p: string) => p.slice(mapping.response.signedMember.length + 1);
  const headers: Record<string, string> = { ...mapping.headers, 'content-type': 'application/json', accept: 'application/json' };
  if (mapping.apiKey && apiKey !== undefined) headers[mapping.apiKey.header.toLowerCase()] = apiKey;
  return {
    name: 'envelope',
    ecdsaEncoding: mapping.signatureEncoding,
    verify(request: VerificationRequest): GatewayCall {
      const view = requestView(request);
      const body: Record<string, unknown> = {};
      for (const [target, source] of Object.entries(mapping.request)) {
        const value = typeof source === 'string' ? view[source] : source.const;
        if (value !== undefined) setPath(body, target, value);
      }
      return { method: 'POST', path: mapping.path, headers, body: JSON.stringify(body) };
    },
    decode(text: string): DecodedResponse {
      const whole = parseJson(text);
      if (mapping.response.status) {
        const status = getPath(whole, mapping.response.status.path);
        if (!mapping.response.status.ok.some((ok) => String(ok) === String(status))) {
          throw new ParseError('ENVELOPE_STATUS_NOT_OK', `envelope status ${mapping.response.status.path} is not OK`, { status: String(status) });
        }
      }
      const signedText = rawMember(text, mapping.response.signedMember.split('.'));
      const sig = getPath(whole, mapping.response.signature);
      if (typeof sig !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(sig)) throw new ParseError('RAR_SIGNATURE_FIELD', `${mapping.response.signature} is not base64`);
      const signed = parseJson(signedText);
      const rawVerdict = getPath(signed, rel(mapping.response.verdict.path));
      const verdict: Verdict | undefined = mapping.response.verdict.map[String(rawVerdict)];
      const ts = getPath(signed, rel(mapping.response.timestamp));
      const respondedAt = typeof ts === 'number' ? new Date(ts).toISOString() : ts;
      const reasons = mapping.response.reasons ? getPath(signed, rel(mapping.response.reasons)) : [];
      return {
        signedText,
        signature: Buffer.from(sig, 'base64'),
        response: {
          version: '1',
          requestId: getPath(signed, rel(mapping.response.requestId)) as string,
          verdict: verdict as Verdict,
          reasons: (reasons ?? []) as string[],
          transactionCode: getPath(signed, rel(mapping.response.transactionCode)) as string,
          respondedAt: respondedAt as string,
        },
      };
    },
  };
}

/**
 * A CECA-like gateway shape (reference §5: info/content/signature), used as the demo mapping and
 * spoken by the reference server's envelope route. Real operators supply their own in the profile.
 */
export const CECA_LIKE_MAPPING: EnvelopeMapping = {
  path: '/ceca/api/verify',
  headers: { ServiceType: 'VERIFY_EID' },
  request: {
    'info.version': { const: '1.0.0' },
    'info.senderId': 'terminalId',
    'info.receiverId': { const: 'RAR' },
    'info.messageType': { const: 'VERIFY_EID' },
    'info.sendDate': 'createdAt',
    'info.messageId': 'requestId',
    'content.transactionId': 'requestId',
    'content.data.variant': 'variant',
    'content.data.idCardNumber': 'idNumber',
    'content.data.dsCert': 'dscCert',
    'content.data.dsCertHash': 'dscCertSha256',
    'content.data.sod': 'sod',
    'content.data.sodHash': 'sodSha256',
    'content.data.sodHashes.dg1': 'dgHash.1',
    'content.data.sodHashes.dg2': 'dgHash.2',
    'content.data.sodHashes.dg13': 'dgHash.13',
    'content.data.sodHashes.dg14': 'dgHash.14',
    'content.data.sodHashes.dg15': 'dgHash.15',
    'content.data.province': 'province',
    'content.data.fullName': 'dg13.fullName',
    'content.data.dateOfBirth': 'dg13.dateOfBirth',
    'content.data.gender': 'dg13.sex',
    'content.data.dateOfExpiry': 'dg13.dateOfExpiry',
    'content.data.chipImg': 'portrait',
    'content.data.chipImgFormat': 'portraitFormat',
    'content.data.faceMatched': 'faceMatched',
    'content.data.faceScore': 'faceScore',
    'content.data.faceThreshold': 'faceThreshold',
  },
  response: {
    signedMember: 'content',
    signature: 'signature',
    requestId: 'content.transactionId',
    transactionCode: 'content.cecaTransactionCode',
    timestamp: 'content.timestamp',
    verdict: { path: 'content.resultCode', map: { '0': 'VERIFIED', '1': 'NOT_FOUND', '2': 'MISMATCH', '3': 'REVOKED', '4': 'EXPIRED' } },
    reasons: 'content.reasons',
    status: { path: 'info.responseCode', ok: [0] },
  },
  signatureEncoding: 'der',
};
