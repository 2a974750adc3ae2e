import type { SecretRef } from '../core/config/secret-ref.ts';
import type { LoadedProfile } from './config-loader.ts';

const secretWhere = (ref: SecretRef) => ('env' in ref ? `environment ${ref.env}` : `file ${ref.file}`);

/** The settings an IT person checks first, as plain key/value lines; secrets show only where they live. */
export function configSummary(profile: LoadedProfile): { key: string; value: string }[] {
  const c = profile.config;
  const rows: [string, string][] = [
    ['profile', profile.name],
    ['site', `${c.site.name} (${c.site.kind})`],
    ['terminal', c.kiosk.terminalId],
    ['language', c.kiosk.defaultLanguage],
    ['idle', `${c.kiosk.idleSeconds} s + ${c.kiosk.idleCountdownSeconds} s countdown`],
    ['card reader', c.devices.cardReader.adapter + (c.devices.cardReader.readerPattern ? ` (${c.devices.cardReader.readerPattern})` : '')],
    ['camera', c.devices.camera.adapter],
    ['printer', c.devices.printer.uri],
    ['scanner', c.devices.scanner.adapter],
    ['retention', `personal data ${c.retention.personalDataDays} d, audit ${c.retention.auditDays} d`],
    ['admin PIN hash', secretWhere(c.admin.pinHash)],
  ];
  return rows.map(([key, value]) => ({ key, value }));
}
