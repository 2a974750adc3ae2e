/**
 * The ceiling for bench:hub: a bare Fastify over HTTPS with client certificates required (the same
 * TLS setup and certificates as the hub) that answers each POST with its body and an ECDSA P-256
 * signature over it. No enrolment lookup, no database: what the machine can do per request before
 * any work of the hub's own. Prints `echo listening on URL`; stops on SIGTERM.
 *   node --import tsx test/bench/echo-server.ts PKI_DIR
 */
import Fastify from 'fastify';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const pki = process.argv[2]!;
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const app = Fastify({
  https: {
    cert: readFileSync(join(pki, 'server.crt')),
    key: readFileSync(join(pki, 'server.key')),
    ca: readFileSync(join(pki, 'ca.crt')),
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  },
  keepAliveTimeout: 60_000,
});
app.post('/v1/echo', async (req) => {
  const text = JSON.stringify(req.body);
  return { body: req.body, signature: sign('sha256', Buffer.from(text), privateKey).toString('base64') };
});
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as { port: number };
console.log(`echo listening on https://127.0.0.1:${port}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
