#!/usr/bin/env node
// The cccd-kiosk command. TypeScript sources run through tsx's loader, so there is no build step
// between editing and running; packaged builds ship the same sources.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
