#!/usr/bin/env node
// Rebuilds the kiosk's native modules against Electron's ABI (Electron embeds its own Node, so a
// module built for the system Node fails with NODE_MODULE_VERSION mismatch). Run on the packaging
// machine: `npm run rebuild:electron [-- --electron-version 38.8.6]`. Needs Node >= 22.12 (for
// @electron/rebuild 4) and a C++ toolchain; the system Node build used by `npm test` is untouched
// only if you run `npm rebuild` afterwards.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// smartcard (PC/SC) is N-API: one build serves Node and Electron.
const NATIVE_MODULES = ['better-sqlite3', 'node-hid', 'onnxruntime-node', 'sharp'];
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const { values } = parseArgs({ options: { 'electron-version': { type: 'string' } } });
let electronVersion = values['electron-version'];
if (!electronVersion) {
  try {
    electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  } catch {
    console.error('electron is not installed; pass --electron-version X.Y.Z');
    process.exit(2);
  }
}
const { rebuild } = await import('@electron/rebuild');
console.log(`rebuilding ${NATIVE_MODULES.join(', ')} for Electron ${electronVersion}`);
await rebuild({ buildPath: root, electronVersion, onlyModules: NATIVE_MODULES, force: true });
console.log('done');
