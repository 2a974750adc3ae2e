import { z } from 'zod';
import { secretRef } from '../config/secret-ref.ts';
import { VERDICTS } from './contract.ts';

/**
 * Central verification (RAR) settings of a site profile. Owned by the verification module.
 * Keys and certificates are SecretRefs (files or environment), never inline in the YAML.
 */

/** Where an envelope field's value comes from: a key of the request view (envelope.ts) or a constant. */
const fieldSource = z.union([
  z.string().min(1),
  z.object({ const: z.union([z.string(), z.number(), z.boolean()]) }).strict(),
]);
const dottedPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'dotted.path.of.json.keys');

/**
 * A signed-envelope gateway ({info, content, signature}, reference §5) described by data, so a new
 * operator's field names need a profile change, not a code change.
 */
export const envelopeMapping = z
  .object({
    path: z.string().startsWith('/'),
    /** Static, non-secret headers (e.g. ServiceType). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Header carrying the gateway's API key, read from a secret. */
    apiKey: z.object({ header: z.string().min(1), value: secretRef }).strict().optional(),
    /** Target dotted path in the request body → source. */
    request: z.record(dottedPath, fieldSource),
    response: z
      .object({
        /** Member whose exact bytes the signature covers. */
        signedMember: dottedPath,
        signature: dottedPath,
        requestId: dottedPath,
        transactionCode: dottedPath,
        /** ISO 8601 text or epoch milliseconds. */
        timestamp: dottedPath,
        verdict: z.object({ path: dottedPath, map: z.record(z.string(), z.enum(VERDICTS)) }).strict(),
        reasons: dottedPath.optional(),
        /** Envelope-level status that must hold before anything else is read (e.g. info.responseCode = 0). */
        status: z.object({ path: dottedPath, ok: z.array(z.union([z.string(), z.number()])).min(1) }).strict().optional(),
      })
      .strict(),
    signatureEncoding: z.enum(['der', 'ieee-p1363']).default('der'),
  })
  .strict();
export type EnvelopeMapping = z.infer<typeof envelopeMapping>;

const remoteService = z
  .object({
    mode: z.literal('remote'),
    url: z.url({ protocol: /^https$/, error: 'an https:// URL' }),
    /** Kiosk's TLS client certificate and key (PEM). */
    clientCert: secretRef,
    clientKey: secretRef,
    /** CA that issued the service's TLS certificate (PEM). */
    serverCa: secretRef,
    /** base64 SHA-256 of the service certificate's SubjectPublicKeyInfo; any one must match. */
    serverSpkiSha256: z.array(z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 SHA-256')).min(1),
    /** The service's response-signing public key or certificate (PEM), pinned. */
    responseKey: secretRef,
  })
  .strict();

/** The demo: the host starts the reference server in-process and uses the PKI it generates. */
const embeddedService = z
  .object({
    mode: z.literal('embedded'),
    /** Folder for the reference server's registry and demo PKI; relative to the profile's folder. */
    dataDir: z.string().min(1),
  })
  .strict();

export const retryConfig = z
  .object({
    /** Total attempts per call, including the first. */
    attempts: z.number().int().min(1).max(10).default(3),
    baseDelayMs: z.number().int().min(1).max(60_000).default(200),
    maxDelayMs: z.number().int().min(1).max(300_000).default(5_000),
  })
  .strict();

export const circuitBreakerConfig = z
  .object({
    /** Consecutive transport/server failures that open the circuit. */
    failureThreshold: z.number().int().min(1).max(1000).default(5),
    /** How long the circuit stays open before one probe call is let through. */
    cooldownMs: z.number().int().min(100).max(3_600_000).default(30_000),
  })
  .strict();

export const outboxConfig = z
  .object({
    /** Requests sent at once while draining. */
    concurrency: z.number().int().min(1).max(64).default(8),
    /** Rows claimed per transaction. */
    batchSize: z.number().int().min(1).max(1000).default(64),
    /** Pause between drain passes when the outbox is empty or the service is down. */
    pollMs: z.number().int().min(50).max(600_000).default(5_000),
    /** Back-off of one queued request after a failed delivery. */
    retryBaseMs: z.number().int().min(10).max(600_000).default(2_000),
    retryMaxMs: z.number().int().min(10).max(86_400_000).default(600_000),
  })
  .strict();

export const verificationConfig = z
  .object({
    /**
     * What to do when no verdict can be obtained online:
     *  require-online  the step fails as "service unavailable" (retry later / staff); nothing is queued
     *  allow-offline   the request is queued in the outbox, the record is marked pending; the verdict comes later
     *  deny            the person is refused (final outcome "denied"); nothing is queued
     */
    offlinePolicy: z.enum(['require-online', 'allow-offline', 'deny']).default('require-online'),
    variant: z.enum(['basic', 'bio']).default('basic'),
    /** Send DSC/SOD bytes, or only their SHA-256. */
    evidence: z.enum(['bytes', 'hashes']).default('bytes'),
    service: z.discriminatedUnion('mode', [remoteService, embeddedService]).optional(),
    protocol: z.enum(['json', 'envelope']).default('json'),
    envelope: envelopeMapping.optional(),
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(3_000),
    responseTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Largest accepted difference between the response timestamp and the kiosk clock. */
    maxClockSkewSeconds: z.number().int().min(1).max(3600).default(120),
    retry: retryConfig.default({ attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 }),
    circuitBreaker: circuitBreakerConfig.default({ failureThreshold: 5, cooldownMs: 30_000 }),
    outbox: outboxConfig.default({ concurrency: 8, batchSize: 64, pollMs: 5_000, retryBaseMs: 2_000, retryMaxMs: 600_000 }),
  })
  .strict()
  .refine((v) => v.protocol !== 'envelope' || v.envelope !== undefined, {
    message: 'protocol "envelope" needs an envelope mapping',
    path: ['envelope'],
  });
export type VerificationConfig = z.infer<typeof verificationConfig>;
export type OfflinePolicy = VerificationConfig['offlinePolicy'];
