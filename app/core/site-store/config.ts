import { z } from 'zod';
import { secretRef } from '../config/secret-ref.ts';

/**
 * The profile's `siteHub:` section. Absent: the site store is this kiosk's own SQLite (a single
 * kiosk needs nothing else). Present: the site's hub is the system of record and the kiosk keeps
 * SQLite as cache and outbox (docs/site-hub.md). Enrolment is by client certificate, as with the
 * verification service; keys and certificates come from files or the environment, never the YAML.
 */
export const siteHubConfig = z
  .object({
    /** One or more hub processes of the site (in front of one database); a kiosk fails over in order. */
    urls: z.array(z.url({ protocol: /^https$/ })).min(1),
    clientCert: secretRef,
    clientKey: secretRef,
    /** The CA that issued the hubs' TLS certificates. */
    serverCa: secretRef,
    /** base64 SHA-256 of the hubs' SubjectPublicKeyInfo; any one may match. */
    serverSpkiSha256: z.array(z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 SHA-256')).min(1),
    connectTimeoutMs: z.number().int().min(200).max(60_000).default(3000),
    requestTimeoutMs: z.number().int().min(500).max(120_000).default(5000),
    /** How often the kiosk tells the hub how it is (the fleet view) and checks that a hub answers. */
    heartbeatSeconds: z.number().int().min(1).max(3600).default(15),
  })
  .strict();
export type SiteHubConfig = z.infer<typeof siteHubConfig>;
