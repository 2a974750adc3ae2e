import { createPublicKey } from 'node:crypto';
import type { SecretRef } from '../../core/config/secret-ref.ts';
import type { VerificationConfig } from '../../core/verification/config.ts';
import { CECA_LIKE_MAPPING, envelopeAdapter } from '../../core/verification/envelope.ts';
import type { GatewayAdapter } from '../../core/verification/gateway.ts';
import { jsonProtocol } from '../../core/verification/json-protocol.ts';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.ts';
import { RarClient, type AuditSink } from './client.ts';
import { HttpsTransport } from './transport.ts';

/** Everything needed to reach one verification service; PEM texts already read from their files. */
export interface RarEndpoint {
  readonly url: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  readonly serverCaPem: string;
  readonly serverSpkiSha256: readonly string[];
  readonly responseKeyPem: string;
  /** Envelope gateways only: the API key header value. */
  readonly apiKey?: string;
}

/**
 * Reads a `service.mode: remote` section's secrets (files or environment, never the YAML) with the
 * host's `readSecret`, which names the key of a missing one.
 */
export function remoteEndpoint(readSecret: (ref: SecretRef, keyPath: string) => string, cfg: VerificationConfig): RarEndpoint {
  const s = cfg.service;
  if (!s || s.mode !== 'remote') throw new Error('verification.service is not a remote service');
  const key = 'verification.service';
  return {
    url: s.url,
    clientCertPem: readSecret(s.clientCert, `${key}.clientCert`),
    clientKeyPem: readSecret(s.clientKey, `${key}.clientKey`),
    serverCaPem: readSecret(s.serverCa, `${key}.serverCa`),
    serverSpkiSha256: s.serverSpkiSha256,
    responseKeyPem: readSecret(s.responseKey, `${key}.responseKey`),
    ...(cfg.envelope?.apiKey ? { apiKey: readSecret(cfg.envelope.apiKey.value, 'verification.envelope.apiKey.value') } : {}),
  };
}

export function gatewayAdapter(cfg: VerificationConfig, apiKey?: string): GatewayAdapter {
  return cfg.protocol === 'envelope' ? envelopeAdapter(cfg.envelope ?? CECA_LIKE_MAPPING, apiKey) : jsonProtocol;
}

export interface ClientDeps {
  readonly audit: AuditSink;
  readonly clock?: () => Date;
  readonly onCircuitChange?: (state: CircuitState) => void;
}

/** Builds the hardened client from the profile's verification section and an endpoint. */
export function createRarClient(cfg: VerificationConfig, endpoint: RarEndpoint, deps: ClientDeps): RarClient {
  return new RarClient({
    transport: new HttpsTransport({
      url: endpoint.url,
      clientCertPem: endpoint.clientCertPem,
      clientKeyPem: endpoint.clientKeyPem,
      serverCaPem: endpoint.serverCaPem,
      serverSpkiSha256: endpoint.serverSpkiSha256,
      connectTimeoutMs: cfg.connectTimeoutMs,
      responseTimeoutMs: cfg.responseTimeoutMs,
      maxSockets: Math.max(4, cfg.outbox.concurrency),
    }),
    adapter: gatewayAdapter(cfg, endpoint.apiKey),
    responseKey: createPublicKey(endpoint.responseKeyPem),
    maxClockSkewMs: cfg.maxClockSkewSeconds * 1000,
    retry: cfg.retry,
    breaker: new CircuitBreaker(cfg.circuitBreaker.failureThreshold, cfg.circuitBreaker.cooldownMs, () => (deps.clock ?? (() => new Date()))().getTime(), deps.onCircuitChange),
    audit: deps.audit,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
}
