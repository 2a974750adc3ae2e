import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { choiceOption, numberOption, portOption } from '../options.ts';
import { loadTrustStore } from '../../platform/trust/trust-store.ts';
import { startRarServer } from '../../host/demo-wiring.ts';

const usage = `Usage: cccd-kiosk rar-server [--data-dir DIR] [--host 127.0.0.1] [--port 8443]
                             [--enrol TERMINAL_ID]... [--trust PATH] [--signing ES256|RS256]
                             [--rate PER_SECOND] [--burst N]

Runs the reference central verification service ("RAR") over HTTPS with client certificates
required. On first start it creates its demo PKI (CA, TLS server certificate, response-signing keys)
and a registry of synthetic demo citizens in --data-dir (default .kiosk-data/rar-server).

  --enrol ID    issue a client certificate for kiosk terminal ID (into DATA/pki/terminals/) and enrol it
  --trust PATH  CSCA certificates / master lists / CRLs for passive authentication of received SODs
  --signing     response signature: ES256 (ECDSA P-256, default) or RS256 (RSA PKCS#1 v1.5 SHA-256)
  --rate/--burst  per-terminal rate limit (default 200/s, burst 400)

Prints what a kiosk profile's verification.service needs (URL, files, SPKI pin). Stops on Ctrl-C.
Protocol: docs/verification-protocol.md.`;

const command: Command = {
  name: 'rar-server',
  summary: 'Run the reference central verification service (RAR) with mutual TLS',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string', default: '.kiosk-data/rar-server' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8443' },
        enrol: { type: 'string', multiple: true, default: [] },
        trust: { type: 'string' },
        signing: { type: 'string', default: 'ES256' },
        rate: { type: 'string', default: '200' },
        burst: { type: 'string', default: '400' },
      },
      strict: true,
    });
    const port = portOption(values.port)!;
    const signingAlg = choiceOption(values.signing, '--signing', ['ES256', 'RS256']);
    const perSecond = numberOption(values.rate, '--rate', { min: 0.001, max: 1e6, fraction: true })!;
    const burst = numberOption(values.burst, '--burst', { min: 1, max: 1e6 })!;
    const trust = values.trust ? loadTrustStore(resolve(values.trust)) : undefined;
    if (trust) for (const s of trust.skipped) console.error(`trust store: skipped ${s.file}: ${s.reason}`);

    const server = await startRarServer({
      dataDir: resolve(values['data-dir']),
      host: values.host,
      port,
      signingAlg,
      rateLimit: { perSecond, burst },
      enrolTerminals: values.enrol,
      ...(trust ? { trust } : {}),
      logger: { level: 'info' },
    });
    const pki = server.pki;
    console.log(
      [
        `RAR reference server listening on ${server.url} (mutual TLS; ${trust ? `${trust.anchors.length} CSCA(s)` : 'no CSCA store: every SOD fails passive authentication'})`,
        `  serverCa:          ${pki.caCertFile}`,
        `  serverSpkiSha256:  ${pki.serverSpkiSha256}`,
        `  responseKey:       ${server.signingPublicKeyFile}`,
        ...values.enrol.map((id) => `  terminal ${id}: clientCert ${pki.dir}/terminals/${id}.crt, clientKey ${pki.dir}/terminals/${id}.key`),
      ].join('\n'),
    );
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
export default command;
