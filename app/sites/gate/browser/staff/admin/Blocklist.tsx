/**
 * The administrator's blocklist page: who is on it (by ID number, by face, or both), adding an ID
 * number or a picture of the face (someone not enrolled: the alarm card shows the picture) with a
 * reason, and removing an entry. A person already enrolled is blocked from their
 * record on the people page (their face and ID number both).
 */
import { useEffect, useState } from 'preact/hooks';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { Button, formatDateTime } from '../../../../../ui/kit/index.ts';
import { Field, useAction, valueOf } from './shared.tsx';

interface Entry {
  key: string;
  name: string;
  reason: string;
  byId: boolean;
  byFace: boolean;
  addedBy: string;
  addedAt: string;
}

export function BlocklistPage(props: SiteMaintenanceProps) {
  const { t, lang, timeZone } = props;
  const { call, busy, shown } = useAction(props);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [form, setForm] = useState({ idNumber: '', name: '', reason: '' });
  const [picture, setPicture] = useState<{ base64: string; url: string } | undefined>();
  // The preview's object URL goes with the preview.
  useEffect(() => (picture ? () => URL.revokeObjectURL(picture.url) : undefined), [picture]);
  const load = async () => setEntries((await call<{ entries: Entry[] }>('blocklist-list', {}))?.entries ?? []);
  useEffect(() => void load(), []);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: valueOf(e) });
  const choosePicture = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return setPicture(undefined);
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    setPicture({ base64: btoa(binary), url: URL.createObjectURL(file) });
  };
  const add = async () => {
    const input = { name: form.name, reason: form.reason, ...(form.idNumber ? { idNumber: form.idNumber } : {}), ...(picture ? { picture: picture.base64 } : {}) };
    if (!(await call('blocklist-add', input))) return;
    setForm({ idNumber: '', name: '', reason: '' });
    setPicture(undefined);
    await load();
  };
  return (
    <div class="gate-admin" data-testid="gate-admin-blocklist">
      <fieldset class="gate-admin-form" data-testid="block-form">
        <legend>{t('gateAdmBlockById')}</legend>
        <Field label={t('gateField_idNumber')}><input inputMode="numeric" autoComplete="off" maxLength={12} value={form.idNumber} data-testid="block-id" onInput={set('idNumber')} /></Field>
        <Field label={t('gateField_name')}><input value={form.name} data-testid="block-name" onInput={set('name')} /></Field>
        <Field label={t('gateField_reason')} wide><input value={form.reason} data-testid="block-reason" onInput={set('reason')} /></Field>
        <Field label={t('gateField_picture')} wide>
          <input type="file" accept="image/jpeg,image/png" data-testid="block-picture" onChange={(e) => void choosePicture(e)} />
        </Field>
        {picture && <img class="gate-block-picture" src={picture.url} alt="" data-testid="block-picture-preview" />}
        <Button kind="primary" icon="alert" testId="block-add" disabled={busy} onClick={() => void add()}>{t('gateAdmBlockAdd')}</Button>
        <p class="quiet wide">{t('gateAdmBlockByFaceHint')}</p>
      </fieldset>
      {shown}
      <h2>{t('gateAdmBlocklist')}</h2>
      {entries.length === 0 ? <p class="quiet">{t('gateAdmBlocklistEmpty')}</p> : (
        <table class="gate-admin-table" data-testid="blocklist">
          <thead><tr><th>{t('gateField_name')}</th><th>{t('gateField_reason')}</th><th>{t('gateAdmBlockHow')}</th><th>{t('gateAdmAdded')}</th><th /></tr></thead>
          <tbody>
            {entries.map((b) => (
              <tr key={b.key} data-testid={`block-${b.key}`}>
                <td>{b.name}</td>
                <td>{b.reason}</td>
                <td>{[b.byId && t('gateAdmBlockHow_id'), b.byFace && t('gateAdmBlockHow_face')].filter(Boolean).join(' + ')}</td>
                <td>{formatDateTime(b.addedAt, lang, timeZone)} · {b.addedBy}</td>
                <td><Button kind="cancel" testId={`block-remove-${b.key}`} onClick={() => void call('blocklist-remove', { key: b.key }).then((ok) => ok && load())}>{t('gateAdmRemove')}</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
