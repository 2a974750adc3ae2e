import type { VerificationRequest, VerificationResponse } from './contract.ts';
import type { EcdsaEncoding } from './signature.ts';

/** One HTTP request to an operator's gateway, as the adapter shaped it. */
export interface GatewayCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A gateway answer taken apart: the exact signed text, its signature, and the contract response it states. */
export interface DecodedResponse {
  readonly signedText: string;
  readonly signature: Buffer;
  /** Not yet validated: the client checks it against the contract schema after the signature. */
  readonly response: Partial<VerificationResponse> & Record<string, unknown>;
}

/**
 * Maps the contract to one operator gateway's wire shape. Adapters are pure: the client does the
 * transport, the signature check and the replay checks the same way for every gateway.
 */
export interface GatewayAdapter {
  readonly name: string;
  readonly ecdsaEncoding: EcdsaEncoding;
  verify(request: VerificationRequest): GatewayCall;
  /** Asks for the stored answer to an earlier request, where the gateway supports it (no resend needed). */
  lookup?(requestId: string): GatewayCall;
  /** Throws ParseError when the body does not have the gateway's shape. */
  decode(body: string): DecodedResponse;
}
