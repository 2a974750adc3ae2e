import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kioskConfig } from '../../app/host/config-loader.ts';
import { verificationRequest, verificationResponse } from '../../app/core/verification/contract.ts';
import { verificationConfig } from '../../app/core/verification/config.ts';
import { VerificationInputError } from '../../app/core/verification/errors.ts';
import { CECA_LIKE_MAPPING, envelopeAdapter, envelopeResponseParts, requestFromEnvelope } from '../../app/core/verification/envelope.ts';
import { encodeSignedBody, jsonProtocol } from '../../app/core/verification/json-protocol.ts';
import { RarError } from '../../app/core/verification/errors.ts';
import { outcomeWithoutVerdict } from '../../app/core/verification/policy.ts';
import { rawMember } from '../../app/core/verification/raw-json.ts';
import { signBytes, verifyBytes } from '../../app/core/verification/signature.ts';
import { buildVerificationRequest, contractDg13, verificationSubject, type ChipEvidence, type VerificationSubject } from '../../app/core/verification/subject.ts';
import { buildDg13, isoToVnDate, parseDg13 } from '../../app/core/cccd/dg13.ts';
import { parseCccdDocument } from '../../app/core/cccd/document.ts';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';

const subject: VerificationSubject = {
  idNumber: '001092012345',
  dg13: { fullName: 'Nguyễn Văn An', dateOfBirth: '17/03/1992', placeOfOrigin: 'Xã A, Huyện B, Tỉnh C' },
  dscCert: Uint8Array.of(0x30, 0x82, 1, 2),
  sod: Uint8Array.of(0x77, 1, 2, 3),
  dgHashes: { 1: new Uint8Array(32).fill(1), 13: new Uint8Array(32).fill(13) },
};
const build = (s: Partial<VerificationSubject> = {}, variant: 'basic' | 'bio' = 'basic', evidence?: 'bytes' | 'hashes') =>
  buildVerificationRequest({ ...subject, ...s }, { terminalId: 'T-1', variant, ...(evidence ? { evidence } : {}), now: new Date('2026-01-02T03:04:05Z') });

describe('request contract', () => {
  it('builds a valid basic request with bytes or hashes of the DSC and SOD', () => {
    const r = build();
    expect(verificationRequest.parse(r)).toEqual(r);
    expect(r).toMatchObject({ version: '1', terminalId: 'T-1', variant: 'basic', createdAt: '2026-01-02T03:04:05.000Z', document: { dscCert: 'MIIBAg==', sod: 'dwECAw==' } });
    expect(r.document.dgHashes?.['13']).toBe('0d'.repeat(32));
    const h = build({}, 'basic', 'hashes');
    expect(h.document.dscCert).toBeUndefined();
    expect(h.document.dscCertSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a bad ID number with a typed error naming the field, not its value', () => {
    let err: unknown;
    try {
      build({ idNumber: '12345' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VerificationInputError);
    expect((err as VerificationInputError).code).toBe('VERIFICATION_INPUT_INVALID');
    expect((err as Error).message).toContain('idNumber');
    expect((err as Error).message).not.toContain('12345');
  });

  it('the bio variant needs portrait and face result, and carries them', () => {
    expect(() => build({}, 'bio')).toThrow(VerificationInputError);
    const r = build({ portrait: { bytes: Uint8Array.of(0xff, 0xd8), format: 'jpeg' }, faceMatch: { matched: true, score: 0.8, threshold: 0.5 } }, 'bio');
    expect(r.bio).toEqual({ portrait: '/9g=', portraitFormat: 'jpeg', faceMatch: { matched: true, score: 0.8, threshold: 0.5 } });
    expect(verificationRequest.safeParse({ ...r, variant: 'basic' }).success).toBe(false);
  });

  it('response schema accepts only the five verdicts', () => {
    const ok = { version: '1', requestId: build().requestId, verdict: 'REVOKED', reasons: [], transactionCode: 'X', respondedAt: '2026-01-02T03:04:05Z' };
    expect(verificationResponse.safeParse(ok).success).toBe(true);
    expect(verificationResponse.safeParse({ ...ok, verdict: 'OK' }).success).toBe(false);
    expect(verificationResponse.safeParse({ ...ok, extra: 1 }).success).toBe(false);
  });
});

describe('DG13 onto the contract', () => {
  it('maps a parsed DG13 (parents, spouse, optional fields) and refuses one without name or birth date', () => {
    const dg13 = parseDg13(
      buildDg13({ idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '17/03/1992', sex: 'Nam', dateOfExpiry: 'Không thời hạn', parents: ['Nguyễn Văn Bình', 'Trần Thị Cúc'], spouse: [] }),
    );
    expect(contractDg13(dg13)).toEqual({ fullName: 'Nguyễn Văn An', dateOfBirth: '17/03/1992', sex: 'Nam', dateOfExpiry: 'Không thời hạn', fatherName: 'Nguyễn Văn Bình', motherName: 'Trần Thị Cúc' });
    expect(contractDg13(parseDg13(buildDg13({ fullName: 'A', dateOfBirth: '01/01/2000', spouse: ['B', 'C'] }))).spouseNames).toEqual(['B', 'C']);
    expect(() => contractDg13(parseDg13(buildDg13({ fullName: 'A' })))).toThrow(VerificationInputError);
  });
});

describe('exact signed bytes', () => {
  it('rawMember returns the member text verbatim, whatever its spacing and escapes', () => {
    const text = '{ "signature" : {"value":"AA=="}, "response" :{"b": "\\u00e9" ,"a":[1, 2]} }';
    expect(rawMember(text, ['response'])).toBe('{"b": "\\u00e9" ,"a":[1, 2]}');
    expect(rawMember(text, ['signature', 'value'])).toBe('"AA=="');
  });

  it('rejects duplicate members on the path, trailing junk and truncation', () => {
    expect(() => rawMember('{"response":{},"response":{}}', ['response'])).toThrow(/twice/);
    expect(() => rawMember('{"response":{}} x', ['response'])).toThrow(/trailing/);
    expect(() => rawMember('{"response":{"a":1', ['response'])).toThrow();
    expect(() => rawMember('{"other":1}', ['response'])).toThrow(/not found/);
  });

  it('signs and verifies with RSA PKCS#1 v1.5 SHA-256 and ECDSA (DER and P1363); tampering fails', () => {
    const data = Buffer.from('{"verdict":"VERIFIED"}');
    for (const [type, opts] of [['rsa', { modulusLength: 2048 }], ['ec', { namedCurve: 'P-256' }]] as const) {
      const { privateKey, publicKey } = generateKeyPairSync(type as 'rsa', opts as { modulusLength: number });
      for (const enc of ['der', 'ieee-p1363'] as const) {
        const sig = signBytes(privateKey, data, enc);
        expect(verifyBytes(publicKey, data, sig, enc)).toBe(true);
        expect(verifyBytes(publicKey, Buffer.from('{"verdict":"REVOKED"}'), sig, enc)).toBe(false);
        expect(verifyBytes(publicKey, data, Buffer.alloc(3), enc)).toBe(false);
      }
    }
  });

  it('the JSON protocol decodes the signed member verbatim', () => {
    const text = '{"version":"1","verdict":"VERIFIED"}';
    const body = encodeSignedBody(text, Buffer.from([1, 2, 3]), 'ES256', 'k');
    const d = jsonProtocol.decode(body);
    expect(d.signedText).toBe(text);
    expect([...d.signature]).toEqual([1, 2, 3]);
  });
});

describe('signed-envelope adapter', () => {
  it('maps a request into the envelope and back without losing contract fields', () => {
    const r = build();
    const call = envelopeAdapter(CECA_LIKE_MAPPING, 'key-1').verify(r);
    expect(call.path).toBe('/ceca/api/verify');
    expect(call.headers['x-api-key']).toBeUndefined();
    const body = JSON.parse(call.body!);
    expect(body).toMatchObject({ info: { version: '1.0.0', messageId: r.requestId }, content: { transactionId: r.requestId, data: { idCardNumber: '001092012345', province: 'Tỉnh C' } } });
    const back = verificationRequest.parse(requestFromEnvelope(body, CECA_LIKE_MAPPING));
    expect(back).toMatchObject({ requestId: r.requestId, idNumber: r.idNumber, dg13: { fullName: 'Nguyễn Văn An' }, document: { dscCert: r.document.dscCert } });
  });

  it('adds the API key header only when the mapping names one', () => {
    const m = { ...CECA_LIKE_MAPPING, apiKey: { header: 'X-Api-Key', value: { env: 'CECA_KEY' } } };
    expect(envelopeAdapter(m, 'secret').verify(build()).headers['x-api-key']).toBe('secret');
  });

  it('reads the verdict through the value map, from inside the signed member only', () => {
    const parts = envelopeResponseParts(CECA_LIKE_MAPPING, { requestId: 'r', verdict: 'EXPIRED', reasons: [], transactionCode: 'T', respondedAt: '2026-01-02T03:04:05.000Z' });
    const signedText = JSON.stringify(parts.signed);
    const body = `{"info":{"responseCode":0},"content":${signedText},"signature":"AQID"}`;
    const d = envelopeAdapter(CECA_LIKE_MAPPING).decode(body);
    expect(d.signedText).toBe(signedText);
    expect(d.response).toMatchObject({ requestId: 'r', verdict: 'EXPIRED', transactionCode: 'T' });
    expect(() => envelopeAdapter(CECA_LIKE_MAPPING).decode(body.replace('"responseCode":0', '"responseCode":9'))).toThrow(/status/);
    const unsafe = { ...CECA_LIKE_MAPPING, response: { ...CECA_LIKE_MAPPING.response, requestId: 'info.messageId' } };
    expect(() => envelopeAdapter(unsafe)).toThrow(/outside the signed member/);
  });

  it('a mapping is profile data: the config schema accepts it and refuses envelope without one', () => {
    expect(verificationConfig.parse({ protocol: 'envelope', envelope: CECA_LIKE_MAPPING }).envelope?.path).toBe('/ceca/api/verify');
    expect(verificationConfig.safeParse({ protocol: 'envelope' }).success).toBe(false);
    expect(verificationConfig.safeParse({ service: { mode: 'remote', url: 'http://x', clientCert: { file: 'a' }, clientKey: { file: 'b' }, serverCa: { file: 'c' }, serverSpkiSha256: ['x'], responseKey: { file: 'd' } } }).success).toBe(false);
    // Keys are references, never inline PEM.
    expect(verificationConfig.safeParse({ service: { mode: 'remote', url: 'https://rar.example', clientCert: '-----BEGIN', clientKey: { file: 'b' }, serverCa: { file: 'c' }, serverSpkiSha256: ['E3yiFoutCTlz9yvXMtSVqU0fX8CiMlBCWVTg9kiclCw='], responseKey: { file: 'd' } } }).success).toBe(false);
    expect(kioskConfig.shape.verification).toBeDefined();
  });
});

describe('offline policy', () => {
  it('applies to availability failures only', () => {
    const down = new RarError('RAR_CONNECT_FAILED');
    expect(outcomeWithoutVerdict('allow-offline', 'r', down).verdict).toBe('PENDING');
    expect(outcomeWithoutVerdict('require-online', 'r', down).verdict).toBe('UNAVAILABLE');
    expect(outcomeWithoutVerdict('deny', 'r', down).verdict).toBe('DENIED');
    for (const code of ['RAR_BAD_SIGNATURE', 'RAR_REPLAYED_RESPONSE', 'RAR_CLOCK_SKEW', 'RAR_PIN_MISMATCH'] as const) {
      expect(outcomeWithoutVerdict('allow-offline', 'r', new RarError(code)).verdict).toBe('SECURITY_FAILURE');
    }
  });
});

describe('the subject of a request, from what the chip read hands on', () => {
  async function evidenceOf(personaId: string): Promise<ChipEvidence> {
    const card = await buildCardFiles(personaId);
    const sod = card.files.get(LDS_FILES.SOD.fid)!;
    const dg = (n: number) => card.dataGroups.get(n);
    const document = parseCccdDocument({ dg1: dg(1)!, ...(dg(13) ? { dg13: dg(13)! } : {}), ...(dg(2) ? { dg2: dg(2)! } : {}) }, new Date(Date.UTC(2026, 0, 1)));
    return { document, sod, passiveAuth: verifyPassive({ sod, dataGroups: card.dataGroups, trust: card.trust, now: new Date(Date.UTC(2026, 0, 1)) }) };
  }

  it('a CCCD: the ID, DG13 as on the chip, the DSC and SOD, the DG2 portrait; the face match clamped to the contract', async () => {
    const e = await evidenceOf('nguyen-van-an');
    const s = verificationSubject(e, { decision: 'MATCH', score: 1.0000001, threshold: 0.45 });
    expect(s).toMatchObject({ idNumber: '001092012345', dg13: contractDg13(e.document.dg13!), dscCert: e.passiveAuth.dscCertificate, sod: e.sod });
    expect(s.dg13.dateOfBirth).toBe('17/03/1992');
    expect(s.portrait).toEqual({ bytes: e.document.portrait!.bytes, format: e.document.portrait!.format });
    expect(s.faceMatch).toEqual({ matched: true, score: 1, threshold: 0.45 });
    expect(verificationSubject(e, { decision: 'UNCERTAIN', score: 0.4, threshold: 0.45 }).faceMatch?.matched).toBe(false);
    expect(verificationSubject(e).faceMatch).toBeUndefined();
    expect(verificationRequest.parse(buildVerificationRequest(s, { terminalId: 'T-1', variant: 'bio' })).variant).toBe('bio');
  });

  it('a passport (no DG13): the MRZ name and birth date, as dd/mm/yyyy', async () => {
    const e = await evidenceOf('le-minh-chau-passport');
    const s = verificationSubject(e);
    expect(s.dg13).toEqual({ fullName: e.document.fullName, dateOfBirth: isoToVnDate(e.document.dateOfBirth!) });
    expect(s.idNumber).toBe(e.document.documentNumber);
  });

  it('no Document Signer certificate: VERIFY_NO_EVIDENCE, never a request', async () => {
    const e = await evidenceOf('nguyen-van-an');
    expect(() => verificationSubject({ ...e, passiveAuth: { ...e.passiveAuth, dscCertificate: undefined } })).toThrow(expect.objectContaining({ code: 'VERIFY_NO_EVIDENCE' }));
  });
});
