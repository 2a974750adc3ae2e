import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { resolveProfilePath } from '../../app/host/config-loader.ts';

/**
 * A copy of a shipped profile in a temp folder, with every path made absolute and the kiosk's
 * state (database, printer file, simulators) moved into `dir`; `mutate` changes what a test needs.
 */
export function tempProfile(base: string, dir: string, mutate: (p: any) => void = () => undefined): { file: string; printerFile: string } {
  const src = resolveProfilePath(base);
  const from = (p: string) => (isAbsolute(p) ? p : resolve(dirname(src), p));
  const p = parse(readFileSync(src, 'utf8'));
  const printerFile = join(dir, 'printer.escpos');
  p.storage.dataDir = join(dir, 'data');
  p.devices.printer.uri = `file:${printerFile}`;
  if (p.admin.pinHash.file) p.admin.pinHash.file = from(p.admin.pinHash.file);
  for (const member of p.admin.staff ?? []) if (member.pinHash?.file) member.pinHash.file = from(member.pinHash.file);
  if (p.devices.camera.path) p.devices.camera.path = from(p.devices.camera.path);
  if (p.trust?.paths) p.trust.paths = p.trust.paths.map(from);
  if (p.face?.index?.key?.file) p.face.index.key.file = from(p.face.index.key.file);
  if (p.site?.siteKey?.file) p.site.siteKey.file = from(p.site.siteKey.file);
  if (p.verification?.service?.dataDir) p.verification.service.dataDir = join(dir, 'rar-server');
  // Files a shipped profile shares with its neighbours (the demo hospital's records): this test's own.
  if (p.site?.his?.dbFile) p.site.his.dbFile = join(dir, 'his-sim.sqlite');
  if (p.site?.store?.file) p.site.store.file = join(dir, 'site-store.db');
  mutate(p);
  const file = join(dir, `${base}.yaml`);
  writeFileSync(file, stringify(p));
  return { file, printerFile };
}
