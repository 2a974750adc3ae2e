import { readFileSync } from 'node:fs';
import type { RarEndpoint } from '../../platform/rar/from-config.ts';
import type { RunningRarServer } from './server.ts';

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
