import { ParseError } from '../errors.ts';
import type { VerificationRequest } from './contract.ts';
import type { DecodedResponse, GatewayAdapter, GatewayCall } from './gateway.ts';
import { parseJson, rawMember } from './raw-json.ts';

/**
 * The project's own JSON/HTTPS protocol (docs/verification-protocol.md):
 *   POST /v1/verifications          body = the contract request
 *   GET  /v1/verifications/{id}     the stored answer to an earlier request (404 if never received)
 *   200  {"response": {...contract response...}, "signature": {"alg", "keyId", "value"}}
 * The signature covers the exact bytes of the "response" member as sent.
 */
export const VERIFY_PATH = '/v1/verifications';

const json = { 'content-type': 'application/json', accept: 'application/json' };

export const jsonProtocol: GatewayAdapter = {
  name: 'json',
  ecdsaEncoding: 'der',
  verify(request: VerificationRequest): GatewayCall {
    return { method: 'POST', path: VERIFY_PATH, headers: json, body: JSON.stringify(request) };
  },
  lookup(requestId: string): GatewayCall {
    return { method: 'GET', path: `${VERIFY_PATH}/${encodeURIComponent(requestId)}`, headers: { accept: 'application/json' } };
  },
  decode(body: string): DecodedResponse {
    const signedText = rawMember(body, ['response']);
    const sigText = rawMember(body, ['signature', 'value']);
    const sig = parseJson(sigText);
    if (typeof sig !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(sig)) {
      throw new ParseError('RAR_SIGNATURE_FIELD', 'signature.value is not base64');
    }
    const response = parseJson(signedText);
    if (typeof response !== 'object' || response === null || Array.isArray(response)) {
      throw new ParseError('RAR_RESPONSE_SHAPE', 'response is not a JSON object');
    }
    return { signedText, signature: Buffer.from(sig, 'base64'), response: response as DecodedResponse['response'] };
  },
};

/** The body the service sends: the signed text is inserted verbatim. */
export function encodeSignedBody(signedText: string, signature: Buffer, alg: string, keyId: string): string {
  return `{"response":${signedText},"signature":${JSON.stringify({ alg, keyId, value: signature.toString('base64') })}}`;
}
