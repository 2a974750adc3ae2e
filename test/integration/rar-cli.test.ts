import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { buildVerificationRequest } from '../../app/core/verification/subject.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';
import { getPersona } from '../../app/sim/personas/personas.ts';
import { spkiSha256 } from '../../app/sim/rar-server/demo-pki.ts';
import { cardSubject, createRarClient, MemoryAudit, tempDir, testConfig } from './rar-support.ts';

/** `cccd-kiosk rar-server` as an operator runs it: its own process, its own PKI, a kiosk enrolled on the command line. */
it('cccd-kiosk rar-server answers an enrolled kiosk over mutual TLS and stops on SIGTERM', { timeout: 90_000 }, async () => {
  const dir = tempDir('rar-cli-');
  const root = resolve(import.meta.dirname, '../..');
  try {
    const trustFile = join(dir.dir, 'csca.der');
    writeFileSync(trustFile, getTestPki(getPersona('nguyen-van-an').pki).csca.certificate);
    const child = spawn(process.execPath, [join(root, 'app/cli/bin.mjs'), 'rar-server', '--data-dir', dir.dir, '--port', '0', '--enrol', 'CLI-0001', '--trust', trustFile], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    for (let i = 0; i < 600 && !/listening on https:/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    const url = /listening on (https:\/\/\S+)/.exec(out)?.[1];
    expect(url, out).toBeDefined();
    expect(out).toContain('1 CSCA(s)');
    const pki = join(dir.dir, 'pki');
    const c = createRarClient(
      testConfig(),
      {
        url: url!,
        clientCertPem: readFileSync(join(pki, 'terminals', 'CLI-0001.crt'), 'utf8'),
        clientKeyPem: readFileSync(join(pki, 'terminals', 'CLI-0001.key'), 'utf8'),
        serverCaPem: readFileSync(join(pki, 'ca.crt'), 'utf8'),
        serverSpkiSha256: [spkiSha256(readFileSync(join(pki, 'server.crt'), 'utf8'))],
        responseKeyPem: readFileSync(join(pki, 'signing-ec.pub.pem'), 'utf8'),
      },
      { audit: new MemoryAudit() },
    );
    const v = await c.verify(buildVerificationRequest(await cardSubject(), { terminalId: 'CLI-0001', variant: 'basic' }));
    expect(v.response.verdict).toBe('VERIFIED');
    c.close();
    // Structured logs on stdout carry the decision without personal data.
    for (let i = 0; i < 50 && !/"msg":"verify"/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(/"msg":"verify"/);
    expect(out).not.toContain('001092012345');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    dir.remove();
  }
});
