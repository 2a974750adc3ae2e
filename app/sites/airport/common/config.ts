/**
 * The airport's keys of a profile's `site:` section. Credentials are SecretRefs, never values.
 * Without a `dcs` the kiosk has no airline to ask and shows the placeholder (identity confirmed, go
 * to the counter); `dcs: { adapter: sim }` runs `dcs-sim` in-process and points every other system
 * it simulates (BSM inbox, token store, e-gate) at it unless the profile names a real one.
 */
import { z } from 'zod';
import { secretRef } from '../../../core/config/secret-ref.ts';
import { modelSetName } from '../../../core/face/config.ts';

const bearer = z.object({ kind: z.literal('bearer'), token: secretRef }).strict();
const timeoutMs = z.number().int().min(500).max(60_000).default(8000);
const port = z.number().int().min(0).max(65_535).default(0);

/** One of the airport's or airline's HTTP services (JSON over HTTPS; see docs/airport-integration.md). */
const httpService = z.object({ url: z.url({ protocol: /^https?$/ }), auth: bearer.optional(), timeoutMs }).strict();

const dcs = z.discriminatedUnion('adapter', [
  z
    .object({
      adapter: z.literal('sim'),
      port,
      /** Demo only: the simulated airline marks a payment made this many seconds after it is opened. */
      autoPayAfterSeconds: z.number().min(0).max(3600).optional(),
    })
    .strict(),
  z.object({ adapter: z.literal('http') }).extend(httpService.shape).strict(),
]);

const scale = z.discriminatedUnion('adapter', [
  /** The simulated scale of dcs-sim (continuous output over TCP), holding `kg` until told otherwise. */
  z.object({ adapter: z.literal('sim'), kg: z.number().min(0).max(99).default(14.6) }).strict(),
  /** A scale on a serial line, read as a character device (the line's speed is set by the system). */
  z.object({ adapter: z.literal('serial'), device: z.string().startsWith('/') }).strict(),
  /** A serial scale behind a serial-to-Ethernet converter. */
  z.object({ adapter: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65_535) }).strict(),
]);

const window = z
  .object({
    opensMinutesBefore: z.number().int().min(1).max(7 * 24 * 60),
    closesMinutesBefore: z.number().int().min(0).max(24 * 60),
  })
  .strict()
  .refine((w) => w.opensMinutesBefore > w.closesMinutesBefore, 'check-in must open before it closes');

export const airportConfig = z
  .object({
    /** The airport's IATA code, e.g. SGN: where bookings must depart from, and the BSM's station. */
    iataCode: z.string().regex(/^[A-Z]{3}$/, 'three capital letters (the IATA airport code)'),
    /** What this kiosk does: check passengers in, or open the e-gate at security or boarding. */
    role: z.enum(['check-in', 'security-gate', 'boarding-gate']).default('check-in'),
    /** The boarding gate this e-gate stands at (role boarding-gate, which needs it). */
    gate: z.string().regex(/^[A-Z0-9]{1,6}$/).optional(),
    /**
     * An e-gate without staff at its screen (gate roles): it watches, and a pass scanned or a face in
     * view starts (consent was given at check-in, for the face token). false: the consent screen and
     * a Start button for the card, with a pass scan still taken on the start screen.
     */
    unattended: z.boolean().default(true),
    dcs: dcs.optional(),
    /** The baggage system's BSM inbox; without it (and without a simulated DCS) bags go to the counter. */
    baggageMessages: httpService.optional(),
    /**
     * The airport's biometric store; without it no face token is offered. `{ adapter: site }`: the
     * site store keeps the tokens, sealed with `siteKey` (the hub's, on a site with several kiosks).
     */
    biometricTokens: z.union([httpService, z.object({ adapter: z.literal('site') }).strict()]).optional(),
    /** The airport's site key (32 bytes, hex or base64), the same on every kiosk and gate: it seals face tokens kept in the site store. */
    siteKey: secretRef.optional(),
    /**
     * A boarding gate whose site store (the site hub) does not answer: `closed` refuses everyone
     * (`GATE_SITE_OFFLINE`, staff board by hand); `airline` lets the DCS alone decide, which refuses a
     * second boarding itself (its contract), without the site's record of it.
     */
    boardingWhenSiteOffline: z.enum(['closed', 'airline']).default('closed'),
    /** The e-gate's door controller (gate roles). */
    door: httpService.optional(),
    /** The bag scale; without it bags go to the counter. */
    scale: scale.optional(),
    checkInWindows: z
      .object({ domestic: window, international: window })
      .strict()
      .default({ domestic: { opensMinutesBefore: 24 * 60, closesMinutesBefore: 40 }, international: { opensMinutesBefore: 24 * 60, closesMinutesBefore: 60 } }),
    /** Heaviest bag the kiosk accepts (handling limit); heavier bags go to the counter. */
    bagHandlingLimitKg: z.number().min(1).max(50).default(32),
    /** Most bags one check-in may drop here. */
    maxBags: z.number().int().min(0).max(9).default(3),
    /** Hours after departure the airport's store deletes a passenger's face token. */
    tokenHoursAfterDeparture: z.number().min(0).max(72).default(3),
    /** The boarding gate closes this long before departure. */
    gateClosesMinutesBefore: z.number().int().min(0).max(120).default(20),
    /** Security lets passengers through from this long before departure. */
    securityOpensMinutesBefore: z.number().int().min(30).max(24 * 60).default(240),
    /**
     * The face model set the airport's kiosks and gates make their templates with: the profile's
     * `face.modelSet` (a token of another model is never compared).
     */
    faceModel: modelSetName.default('clean'),
    /**
     * A boarding gate's search among its flight's tokens when no pass or card is shown: stricter than
     * 1:1, since false accepts grow with the flight's size × attempts. Cosine, per model set.
     */
    faceSearch: z
      .object({
        clean: z.number().min(0).max(1).default(0.96),
        faceplugin: z.number().min(0).max(1).default(0.6),
        /** A second passenger this close to the best one is no identification. */
        margin: z.number().min(0).max(0.5).default(0.02),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type AirportConfig = z.output<typeof airportConfig>;
