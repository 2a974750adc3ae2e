import type { SecretRef } from '../core/config/secret-ref.ts';
import type { LoadedProfile } from './config-loader.ts';

const secretWhere = (ref: SecretRef) => ('env' in ref ? `environment ${ref.env}` : `file ${ref.file}`);

type Params = Record<string, string | number>;
type Row = { key: string; value: string; label?: string; text?: string; params?: Params };

/**
 * The settings an IT person checks first, as plain key/value lines; secrets show only where they live.
 * `label` and `text` name the words the maintenance screen shows in its own language.
 */
export function configSummary(profile: LoadedProfile): Row[] {
  const c = profile.config;
  const row = (label: string, key: string, value: string, text?: { text: string; params: Params }): Row => ({ key, value, label, ...text });
  const pin = c.admin.pinHash;
  return [
    row('profile', 'profile', profile.name),
    row('site', 'site', `${c.site.name} (${c.site.kind})`),
    row('terminal', 'terminal', c.kiosk.terminalId),
    row('language', 'language', c.kiosk.defaultLanguage),
    row('timeZone', 'time zone', c.kiosk.timeZone),
    row('idle', 'idle', `${c.kiosk.idleSeconds} s + ${c.kiosk.idleCountdownSeconds} s countdown`, {
      text: 'idle', params: { idle: c.kiosk.idleSeconds, countdown: c.kiosk.idleCountdownSeconds },
    }),
    row('cardReader', 'card reader', c.devices.cardReader.adapter + (c.devices.cardReader.readerPattern ? ` (${c.devices.cardReader.readerPattern})` : '')),
    row('camera', 'camera', c.devices.camera.adapter),
    row('printer', 'printer', c.devices.printer.uri),
    row('scanner', 'scanner', c.devices.scanner.adapter),
    row('retention', 'retention', `personal data ${c.retention.personalDataDays} d, audit ${c.retention.auditDays} d`, {
      text: 'retention', params: { personal: c.retention.personalDataDays, audit: c.retention.auditDays },
    }),
    row('adminPin', 'admin PIN hash', secretWhere(pin), 'env' in pin ? { text: 'adminPin_env', params: { name: pin.env } } : { text: 'adminPin_file', params: { name: pin.file } }),
  ];
}
