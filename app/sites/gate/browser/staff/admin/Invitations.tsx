/**
 * Reception's invitations page: invite a visitor by CCCD number (name, host, purpose, optional
 * plate, the day and times on the site's clock), the open invitations, cancelling one, and
 * answering a walk-in for a host who called back.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { Button, formatDateTime, formatTime } from '../../../../../ui/kit/index.ts';
import { Field, useAction, valueOf } from './shared.tsx';

interface Invitation {
  key: string;
  name: string;
  hostName: string;
  purpose: string;
  plate: string | null;
  from: string;
  until: string;
  status: string;
  walkIn: boolean;
}
interface Host {
  key: string;
  name: string;
  department: string | null;
}

/** Today on the site's clock, as YYYY-MM-DD (what a date input holds). */
const today = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

export function InvitationsPage(props: SiteMaintenanceProps) {
  const { t, lang, timeZone } = props;
  const { call, shown } = useAction(props);
  const [all, setAll] = useState(false);
  const [list, setList] = useState<Invitation[]>([]);
  const load = async () => setList((await call<{ invitations: Invitation[] }>('invitation-list', { status: all ? 'all' : 'open' }))?.invitations ?? []);
  useEffect(() => void load(), [all]);
  const act = async (action: string, input: unknown) => (await call(action, input)) && load();
  return (
    <div class="gate-admin" data-testid="gate-admin-invitations">
      <InviteForm {...props} created={load} />
      <h2>{t('gateAdmInvitations')}</h2>
      <label class="check">
        <input type="checkbox" checked={all} data-testid="invitations-all" onChange={(e) => setAll((e.currentTarget as HTMLInputElement).checked)} />
        {t('gateAdmShowClosed')}
      </label>
      {shown}
      {list.length === 0 ? <p class="quiet">{t('gateAdmNoInvitations')}</p> : (
        <table class="gate-admin-table" data-testid="invitations-list">
          <thead><tr><th>{t('gateField_name')}</th><th>{t('gateField_host')}</th><th>{t('gateAdmWindow')}</th><th>{t('gateAdmStatus')}</th><th /></tr></thead>
          <tbody>
            {list.map((i) => (
              <tr key={i.key} data-testid={`invitation-${i.key}`} data-status={i.status}>
                <td><strong>{i.name}</strong><br /><span class="quiet">{i.purpose}{i.plate ? ` · ${i.plate}` : ''} · {i.key}</span></td>
                <td>{i.hostName}</td>
                <td>{formatDateTime(i.from, lang, timeZone)} – {formatTime(i.until, lang, timeZone)}</td>
                <td>{t(`gateAdmInvitation_${i.status}` as Parameters<typeof t>[0])}{i.walkIn && <span class="tag">{t('gateAdmWalkIn')}</span>}</td>
                <td><div class="buttons">
                  {i.status === 'awaiting-host' && <>
                    <Button kind="primary" icon="ok" testId={`invitation-approve-${i.key}`} onClick={() => void act('invitation-answer', { key: i.key, approve: true })}>{t('gateAdmApprove')}</Button>
                    <Button kind="secondary" testId={`invitation-refuse-${i.key}`} onClick={() => void act('invitation-answer', { key: i.key, approve: false })}>{t('gateAdmRefuse')}</Button>
                  </>}
                  {(i.status === 'invited' || i.status === 'awaiting-host') && <Button kind="cancel" icon="cancel" testId={`invitation-cancel-${i.key}`} onClick={() => void act('invitation-cancel', { key: i.key })}>{t('gateAdmCancelInvitation')}</Button>}
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function InviteForm(props: SiteMaintenanceProps & { created: () => void }) {
  const { t } = props;
  const { call, busy, shown } = useAction(props);
  const empty = { idNumber: '', name: '', purpose: '', plate: '', day: today(props.timeZone), from: '08:00', until: '17:00' };
  const [form, setForm] = useState(empty);
  const [hostQuery, setHostQuery] = useState('');
  const [hosts, setHosts] = useState<Host[]>([]);
  const [host, setHost] = useState<Host | undefined>();
  const [made, setMade] = useState<string | undefined>();
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: valueOf(e) });
  const findHosts = async (query: string) => {
    setHostQuery(query);
    setHost(undefined);
    setHosts(query.trim().length >= 2 ? ((await call<{ hosts: Host[] }>('invitation-hosts', { query }))?.hosts ?? []) : []);
  };
  const create = async () => {
    setMade(undefined);
    const { plate, ...rest } = form;
    const r = await call<{ key: string }>('invitation-create', { ...rest, host: host?.key ?? '', ...(plate.trim() ? { plate } : {}) });
    if (!r) return;
    setMade(r.key);
    setForm(empty);
    setHost(undefined);
    setHostQuery('');
    props.created();
  };
  return (
    <fieldset class="gate-admin-form" data-testid="invite-form">
      <legend>{t('gateAdmInviteTitle')}</legend>
      <Field label={t('gateField_idNumber')}><input inputMode="numeric" autoComplete="off" maxLength={12} value={form.idNumber} data-testid="invite-id" onInput={set('idNumber')} /></Field>
      <Field label={t('gateField_name')}><input value={form.name} data-testid="invite-name" onInput={set('name')} /></Field>
      <Field label={t('gateField_host')} wide>
        <input type="search" value={host ? host.name : hostQuery} placeholder={t('gateAdmHostHint')} data-testid="invite-host" onInput={(e) => void findHosts(valueOf(e))} />
      </Field>
      {!host && hosts.length > 0 && (
        <ul class="gate-admin-choices" data-testid="invite-hosts">
          {hosts.map((h) => (
            <li key={h.key}><Button kind="secondary" testId={`invite-host-${h.key}`} onClick={() => (setHost(h), setHosts([]))}>{h.name}{h.department ? ` · ${h.department}` : ''}</Button></li>
          ))}
        </ul>
      )}
      <Field label={t('gateField_purpose')}><input value={form.purpose} data-testid="invite-purpose" onInput={set('purpose')} /></Field>
      <Field label={t('gateField_plate')}><input value={form.plate} placeholder="51F-123.45" data-testid="invite-plate" onInput={set('plate')} /></Field>
      <Field label={t('gateField_day')}><input type="date" value={form.day} data-testid="invite-day" onInput={set('day')} /></Field>
      <Field label={t('gateField_from')}><input type="time" value={form.from} data-testid="invite-from" onInput={set('from')} /></Field>
      <Field label={t('gateField_until')}><input type="time" value={form.until} data-testid="invite-until" onInput={set('until')} /></Field>
      <Button kind="primary" icon="ok" large testId="invite-create" disabled={busy} onClick={() => void create()}>{t('gateAdmInvite')}</Button>
      {shown}
      {made && <p class="notice ok wide" data-testid="invite-made" data-key={made}>{t('gateAdmInvited', { key: made })}</p>}
    </fieldset>
  );
}
