/**
 * The administrator's access page: access groups (which doors, on which week plan), week plans
 * (times per weekday and on holidays) and the site's holidays. A group or plan still in use is
 * refused removal by the site, and the screen says so.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { Button } from '../../../../../ui/kit/index.ts';
import { Field, useAction, valueOf } from './shared.tsx';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] as const;
type Day = (typeof DAYS)[number];

interface Group {
  key: string;
  name: string;
  doors: string[];
  plan: string | null;
  people: number;
}
type Plan = { key: string; name: string; groups: number } & Record<Day, string[]>;
interface AccessList {
  doors: { id: string; name: string }[];
  visitorGroup: string;
  groups: Group[];
  plans: Plan[];
  holidays: { date: string; name: string }[];
}

export function AccessPage(props: SiteMaintenanceProps) {
  const { t } = props;
  const { call, shown } = useAction(props);
  const [list, setList] = useState<AccessList | undefined>();
  const load = async () => setList(await call<AccessList>('access-list', {}));
  useEffect(() => void load(), []);
  if (!list) return <div class="gate-admin">{shown}</div>;
  const doorName = (id: string) => list.doors.find((d) => d.id === id)?.name ?? id;
  const planName = (key: string | null) => (key === null ? t('gateAdmAlways') : (list.plans.find((p) => p.key === key)?.name ?? key));
  return (
    <div class="gate-admin" data-testid="gate-admin-access">
      {shown}
      <h2>{t('gateAdmGroups')}</h2>
      <table class="gate-admin-table" data-testid="groups-list">
        <thead><tr><th>{t('gateField_name')}</th><th>{t('gateField_doors')}</th><th>{t('gateField_plan')}</th><th>{t('gateAdmPeople')}</th><th /></tr></thead>
        <tbody>
          {list.groups.map((g) => (
            <tr key={g.key} data-testid={`group-${g.key}`}>
              <td>{g.name}</td>
              <td>{g.doors.map(doorName).join(', ') || '—'}</td>
              <td>{planName(g.plan)}</td>
              <td>{g.people}</td>
              <td>{g.key !== list.visitorGroup && <Button kind="cancel" testId={`group-remove-${g.key}`} onClick={() => void call('group-remove', { key: g.key }).then((ok) => ok && load())}>{t('gateAdmRemove')}</Button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <GroupForm {...props} list={list} saved={load} />

      <h2>{t('gateAdmPlans')}</h2>
      <table class="gate-admin-table" data-testid="plans-list">
        <thead><tr><th>{t('gateField_name')}</th>{DAYS.map((d) => <th key={d}>{t(`gateAdmDay_${d}`)}</th>)}<th /></tr></thead>
        <tbody>
          {list.plans.map((p) => (
            <tr key={p.key}>
              <td>{p.name}</td>
              {DAYS.map((d) => <td key={d} class="times">{p[d].join(' ') || '—'}</td>)}
              <td><Button kind="cancel" testId={`plan-remove-${p.key}`} onClick={() => void call('plan-remove', { key: p.key }).then((ok) => ok && load())}>{t('gateAdmRemove')}</Button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <PlanForm {...props} saved={load} />

      <h2>{t('gateAdmHolidays')}</h2>
      <ul class="gate-admin-chips" data-testid="holidays-list">
        {list.holidays.map((h) => (
          <li key={h.date}>
            <span>{h.date} · {h.name}</span>
            <Button kind="cancel" testId={`holiday-remove-${h.date}`} onClick={() => void call('holiday-remove', { date: h.date }).then((ok) => ok && load())}>{t('gateAdmRemove')}</Button>
          </li>
        ))}
      </ul>
      <HolidayForm {...props} saved={load} />
    </div>
  );
}

/** Makes a key from a name: "Ca đêm" → "ca-dem". */
const keyOf = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);

function GroupForm(props: SiteMaintenanceProps & { list: AccessList; saved: () => void }) {
  const { t, list } = props;
  const { call, busy, shown } = useAction(props);
  const [name, setName] = useState('');
  const [doors, setDoors] = useState<string[]>([]);
  const [plan, setPlan] = useState('');
  const save = async () => {
    const existing = list.groups.find((g) => g.name === name.trim());
    const ok = await call('group-save', { key: existing?.key ?? keyOf(name), group: { name: name.trim(), doors, ...(plan ? { plan } : {}) } });
    if (!ok) return;
    setName('');
    setDoors([]);
    setPlan('');
    props.saved();
  };
  return (
    <fieldset class="gate-admin-form" data-testid="group-form">
      <legend>{t('gateAdmGroupNew')}</legend>
      <Field label={t('gateField_name')}><input value={name} data-testid="group-name" onInput={(e) => setName(valueOf(e))} /></Field>
      <Field label={t('gateField_plan')}>
        <select value={plan} data-testid="group-plan" onChange={(e) => setPlan(valueOf(e))}>
          <option value="">{t('gateAdmAlways')}</option>
          {list.plans.map((p) => <option key={p.key} value={p.key}>{p.name}</option>)}
        </select>
      </Field>
      <div class="gate-admin-checks" role="group" aria-label={t('gateField_doors')}>
        {list.doors.map((d) => (
          <label key={d.id} class="check">
            <input type="checkbox" checked={doors.includes(d.id)} data-testid={`group-door-${d.id}`} onChange={(e) => setDoors((e.currentTarget as HTMLInputElement).checked ? [...doors, d.id] : doors.filter((x) => x !== d.id))} />
            {d.name}
          </label>
        ))}
      </div>
      <Button kind="primary" icon="ok" testId="group-save" disabled={busy || !name.trim()} onClick={() => void save()}>{t('gateAdmSave')}</Button>
      {shown}
    </fieldset>
  );
}

function PlanForm(props: SiteMaintenanceProps & { saved: () => void }) {
  const { t } = props;
  const { call, busy, shown } = useAction(props);
  const [name, setName] = useState('');
  const [days, setDays] = useState<Record<Day, string>>({ mon: '', tue: '', wed: '', thu: '', fri: '', sat: '', sun: '', holiday: '' });
  const save = async () => {
    const plan = { name: name.trim(), ...Object.fromEntries(DAYS.map((d) => [d, days[d].split(/[\s,;]+/).filter(Boolean)])) };
    if (!(await call('plan-save', { key: keyOf(name), plan }))) return;
    setName('');
    props.saved();
  };
  return (
    <fieldset class="gate-admin-form" data-testid="plan-form">
      <legend>{t('gateAdmPlanNew')}</legend>
      <Field label={t('gateField_name')}><input value={name} data-testid="plan-name" onInput={(e) => setName(valueOf(e))} /></Field>
      <p class="quiet wide">{t('gateAdmPlanHint')}</p>
      {DAYS.map((d) => (
        <Field key={d} label={t(`gateAdmDay_${d}`)}>
          <input value={days[d]} placeholder="07:00-19:00" data-testid={`plan-${d}`} onInput={(e) => setDays({ ...days, [d]: valueOf(e) })} />
        </Field>
      ))}
      <Button kind="primary" icon="ok" testId="plan-save" disabled={busy || !name.trim()} onClick={() => void save()}>{t('gateAdmSave')}</Button>
      {shown}
    </fieldset>
  );
}

function HolidayForm(props: SiteMaintenanceProps & { saved: () => void }) {
  const { t } = props;
  const { call, busy, shown } = useAction(props);
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  return (
    <fieldset class="gate-admin-form" data-testid="holiday-form">
      <legend>{t('gateAdmHolidayNew')}</legend>
      <Field label={t('gateField_date')}><input type="date" value={date} data-testid="holiday-date" onInput={(e) => setDate(valueOf(e))} /></Field>
      <Field label={t('gateField_name')}><input value={name} data-testid="holiday-name" onInput={(e) => setName(valueOf(e))} /></Field>
      <Button kind="primary" icon="ok" testId="holiday-save" disabled={busy} onClick={() => void call('holiday-save', { date, name }).then((ok) => ok && (setName(''), props.saved()))}>{t('gateAdmSave')}</Button>
      {shown}
    </fieldset>
  );
}
