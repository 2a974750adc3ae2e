#!/usr/bin/env node
// Rebuilds the kiosk's native modules against Electron's ABI (Electron embeds its own Node, so a
// module built for the system Node fails with NODE_MODULE_VERSION mismatch). Run on the packaging
// machine: `npm run rebuild:electron [-- --electron-version 38.8.6]`. Needs Node >= 22.12 (for
// @electron/rebuild 4, fetched by npx at this pinned version: it is a packaging tool, so it is not
// a dependency that every kiosk install would warn about under Node 20) and a C++ toolchain; the
// system Node build used by `npm test` is untouched only if you run `npm rebuild` afterwards.
import { spawnSync } from 'node:child_process';
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
const REBUILD = '@electron/rebuild@4.2.1';
console.log(`rebuilding ${NATIVE_MODULES.join(', ')} for Electron ${electronVersion} with ${REBUILD}`);
const run = spawnSync('npx', ['--yes', REBUILD, '--version', electronVersion, '--only', NATIVE_MODULES.join(','), '--force', '--module-dir', root], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
