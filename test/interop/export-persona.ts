/**
 * Writes a persona's chip files for the vicc card (test/interop/vicc): mrz.txt (the printed MRZ,
 * lines separated by newlines; the card derives its BAC key from it) and one <FID>.bin per file
 * (011E.bin = EF.COM, 011D.bin = EF.SOD, 0101.bin = DG1, 011C.bin = EF.CardAccess, ...).
 *
 *   node --import tsx test/interop/export-persona.ts <persona-id> <dir>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCardFiles, type BuildCardOptions, type CardFiles } from '../../app/sim/personas/build-card-files.ts';

export const fidFileName = (fid: number): string => `${fid.toString(16).toUpperCase().padStart(4, '0')}.bin`;

/** Exports the card and returns what was written (the test compares the read-back with it). */
export async function exportPersona(personaId: string, dir: string, options: BuildCardOptions = {}): Promise<CardFiles> {
  const card = await buildCardFiles(personaId, options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mrz.txt'), `${card.mrz}\n`, 'ascii');
  for (const [fid, bytes] of card.files) writeFileSync(join(dir, fidFileName(fid)), bytes);
  return card;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [id, dir] = process.argv.slice(2);
  if (!id || !dir) {
    process.stderr.write('usage: node --import tsx test/interop/export-persona.ts <persona-id> <dir>\n');
    process.exit(2);
  }
  const card = await exportPersona(id, dir);
  process.stdout.write(`wrote ${card.files.size} files for ${id} to ${dir}\n`);
}
