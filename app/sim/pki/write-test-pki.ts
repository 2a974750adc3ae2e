/**
 * Creates (or reuses) a persistent test PKI so other processes — the demo kiosk, `read --reader
 * virtual`, CI steps — share one set of keys and can verify each other's virtual cards:
 *   node --import tsx app/sim/pki/write-test-pki.ts DIR
 * then run them with CCCD_KIOSK_TEST_PKI_DIR=DIR and a trust store of DIR/trust.
 */
import { resolve } from 'node:path';
import { PKI_PROFILES, getTestPki, useTestPkiDirectory } from './test-pki.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: write-test-pki.ts DIR');
  process.exit(1);
}
useTestPkiDirectory(resolve(dir));
for (const p of PKI_PROFILES) getTestPki(p);
console.log(`test PKI (${PKI_PROFILES.join(', ')}) in ${resolve(dir)}; trust anchors in ${resolve(dir, 'trust')}`);
