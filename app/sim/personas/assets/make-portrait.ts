/**
 * Regenerates grace-hopper-chip.jpg from Debian's public-domain sample (see README.md):
 *   node --import tsx app/sim/personas/assets/make-portrait.ts
 * 240×320 (ICAO 9303 portrait aspect 3:4), JPEG quality 75: about the size of a real chip portrait.
 */
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const SOURCE = '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg';
const out = fileURLToPath(new URL('./grace-hopper-chip.jpg', import.meta.url));
await sharp(SOURCE).resize(240, 320, { fit: 'cover', position: 'top' }).jpeg({ quality: 75 }).toFile(out);
console.log(`wrote ${out}`);
