import { readFileSync } from 'node:fs';
import type { TrustStore } from '../../core/icao/passive-auth.ts';
import type { RarEndpoint } from '../../platform/rar/from-config.ts';
import { startRarServer, type RunningRarServer } from './server.ts';

/**
 * The endpoint a kiosk uses to reach an in-process reference server (the demo profile's
 * `service.mode: embedded`): enrols the terminal and hands over its generated credentials and pins.
 */
export async function embeddedEndpoint(server: RunningRarServer, terminalId: string): Promise<RarEndpoint> {
  const creds = await server.enrol(terminalId);
  return {
    url: server.url,
    clientCertPem: readFileSync(creds.certFile, 'utf8'),
    clientKeyPem: readFileSync(creds.keyFile, 'utf8'),
    serverCaPem: server.pki.caCert,
    serverSpkiSha256: [server.pki.serverSpkiSha256],
    responseKeyPem: readFileSync(server.signingPublicKeyFile, 'utf8'),
  };
}

/**
 * For the host's demo profile: starts the reference server on a random loopback port, trusting the
 * given CSCAs (the virtual card's test PKI), and returns it with the kiosk's endpoint. The kiosk
 * still talks to it over HTTPS with mutual TLS, exactly as to a remote service.
 */
export async function startEmbeddedRar(opts: { readonly dataDir: string; readonly terminalId: string; readonly trust: TrustStore }): Promise<{ server: RunningRarServer; endpoint: RarEndpoint }> {
  const server = await startRarServer({ dataDir: opts.dataDir, trust: opts.trust, port: 0 });
  return { server, endpoint: await embeddedEndpoint(server, opts.terminalId) };
}
