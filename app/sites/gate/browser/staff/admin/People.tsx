/**
 * The administrator's people page: search by name, employee number or department; one person's
 * record (ID number masked, which faces are kept, never a face), their group and department, and
 * deactivating, reactivating or blocking them.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { Button, formatDateTime } from '../../../../../ui/kit/index.ts';
import { Field, useAction, valueOf } from './shared.tsx';

interface PersonRow {
  key: string;
  kind: 'worker' | 'visitor';
  name: string;
  employeeNo: string | null;
  department: string | null;
  group: string;
  active: boolean;
}
interface Search {
  total: number;
  people: PersonRow[];
  groups: Record<string, string>;
  departments: string[];
}
interface PersonView extends PersonRow {
  idNumber: string;
  birthYear: number;
  sex: 'M' | 'F';
  residenceProvince: string | null;
  validFrom: string | null;
  validUntil: string | null;
  enrolledAt: string;
  consentAt: string | null;
  faces: string[];
  blocklisted: boolean;
  recent: { at: string; door: string; direction: string; decision: string; reason: string | null }[];
}

export function PeoplePage(props: SiteMaintenanceProps) {
  const { t } = props;
  const { call, busy, shown } = useAction(props);
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<'worker' | 'visitor' | 'all'>('worker');
  const [found, setFound] = useState<Search | undefined>();
  const [open, setOpen] = useState<PersonView | undefined>();
  const search = async () => setFound(await call<Search>('people-search', { query, kind }));
  useEffect(() => void search(), [kind]);
  const view = async (key: string) => setOpen(await call<PersonView>('person-view', { key }));

  return (
    <div class="gate-admin" data-testid="gate-admin-people">
      <form class="gate-admin-form" onSubmit={(e) => (e.preventDefault(), void search())}>
        <Field label={t('gateAdmPeopleSearch')} wide>
          <input type="search" value={query} data-testid="people-query" onInput={(e) => setQuery(valueOf(e))} />
        </Field>
        <Field label={t('gateAdmPeopleKind')}>
          <select value={kind} data-testid="people-kind" onChange={(e) => setKind(valueOf(e) as typeof kind)}>
            {(['worker', 'visitor', 'all'] as const).map((k) => <option key={k} value={k}>{t(`gateAdmKind_${k}`)}</option>)}
          </select>
        </Field>
        <Button kind="primary" testId="people-search" disabled={busy} onClick={() => void search()}>{t('gateAdmSearch')}</Button>
      </form>
      {shown}
      {open && found && <PersonCard {...props} person={open} groups={found.groups} departments={found.departments} close={() => setOpen(undefined)} changed={(p) => (setOpen(p), void search())} />}
      {found && (
        <>
          <p class="quiet" data-testid="people-total">{t('gateAdmPeopleFound', { n: found.total, shown: found.people.length })}</p>
          <table class="gate-admin-table" data-testid="people-list">
            <thead>
              <tr><th>{t('gateField_name')}</th><th>{t('gateField_employeeNo')}</th><th>{t('gateField_department')}</th><th>{t('gateField_group')}</th><th /></tr>
            </thead>
            <tbody>
              {found.people.map((p) => (
                <tr key={p.key} class={p.active ? '' : 'inactive'} data-testid={`person-${p.employeeNo ?? p.key}`}>
                  <td>{p.name}{!p.active && <span class="tag">{t('gateAdmInactive')}</span>}</td>
                  <td>{p.employeeNo ?? '—'}</td>
                  <td>{p.department ?? '—'}</td>
                  <td>{found.groups[p.group] ?? p.group}</td>
                  <td><Button kind="secondary" testId={`person-open-${p.employeeNo ?? p.key}`} onClick={() => void view(p.key)}>{t('gateAdmOpen')}</Button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function PersonCard(props: SiteMaintenanceProps & { person: PersonView; groups: Record<string, string>; departments: string[]; close: () => void; changed: (p: PersonView) => void }) {
  const { t, lang, timeZone, person: p } = props;
  const { call, busy, shown } = useAction(props);
  const [group, setGroup] = useState(p.group);
  const [department, setDepartment] = useState(p.department ?? '');
  const [reason, setReason] = useState('');
  const when = (iso: string | null) => (iso ? formatDateTime(iso, lang, timeZone) : '—');
  const reload = async () => {
    const fresh = await call<PersonView>('person-view', { key: p.key });
    if (fresh) props.changed(fresh);
  };
  const update = async (change: Record<string, unknown>) => {
    if (await call('person-update', { key: p.key, ...change })) await reload();
  };
  const block = async () => {
    if (await call('blocklist-add', { person: p.key, reason })) await reload();
  };
  return (
    <section class="gate-admin-card" data-testid="person-card">
      <header>
        <h2>{p.name}</h2>
        <Button kind="cancel" icon="back" testId="person-close" onClick={props.close}>{t('gateAdmClose')}</Button>
      </header>
      <dl class="gate-admin-facts">
        <dt>{t('gateField_idNumber')}</dt><dd data-testid="person-id">{p.idNumber}</dd>
        <dt>{t('gateField_employeeNo')}</dt><dd>{p.employeeNo ?? '—'}</dd>
        <dt>{t('gateAdmBirthYear')}</dt><dd>{p.birthYear} · {t(p.sex === 'F' ? 'gateAdmSex_F' : 'gateAdmSex_M')}</dd>
        <dt>{t('gateAdmResidence')}</dt><dd>{p.residenceProvince ?? '—'}</dd>
        <dt>{t('gateAdmStatus')}</dt><dd data-testid="person-status">{p.active ? t('gateAdmActive') : t('gateAdmInactive')}{p.blocklisted && <span class="tag alarm">{t('gateAdmBlocklisted')}</span>}</dd>
        <dt>{t('gateAdmFaces')}</dt><dd>{p.faces.length === 0 ? t('gateAdmNoFace') : p.faces.map((f) => t(`gateAdmFace_${f === 'chip' ? 'chip' : 'live'}`)).join(', ')}</dd>
        <dt>{t('gateAdmEnrolled')}</dt><dd>{when(p.enrolledAt)}{p.consentAt && ` · ${t('gateAdmConsent', { at: when(p.consentAt) })}`}</dd>
        {(p.validFrom || p.validUntil) && <><dt>{t('gateAdmValid')}</dt><dd>{when(p.validFrom)} – {when(p.validUntil)}</dd></>}
      </dl>
      <div class="gate-admin-form">
        <Field label={t('gateField_group')}>
          <select value={group} data-testid="person-group" onChange={(e) => setGroup(valueOf(e))}>
            {Object.entries(props.groups).map(([id, name]) => <option key={id} value={id}>{name}</option>)}
          </select>
        </Field>
        <Field label={t('gateField_department')}>
          <input list="gate-departments" value={department} data-testid="person-department" onInput={(e) => setDepartment(valueOf(e))} />
          <datalist id="gate-departments">{props.departments.map((d) => <option key={d} value={d} />)}</datalist>
        </Field>
        <Button kind="primary" icon="ok" testId="person-save" disabled={busy} onClick={() => void update({ group, department })}>{t('gateAdmSave')}</Button>
        <Button kind="secondary" testId="person-active" disabled={busy} onClick={() => void update({ active: !p.active })}>{p.active ? t('gateAdmDeactivate') : t('gateAdmReactivate')}</Button>
      </div>
      {props.actions.includes('blocklist-add') && !p.blocklisted && (
        <div class="gate-admin-form danger">
          <Field label={t('gateField_reason')} wide>
            <input value={reason} data-testid="person-block-reason" onInput={(e) => setReason(valueOf(e))} />
          </Field>
          <Button kind="secondary" icon="alert" testId="person-block" disabled={busy} onClick={() => void block()}>{t('gateAdmBlockPerson')}</Button>
        </div>
      )}
      {shown}
      {p.recent.length > 0 && (
        <>
          <h3>{t('gateAdmRecent')}</h3>
          <table class="gate-admin-table">
            <tbody>
              {p.recent.map((r, i) => (
                <tr key={i}><td>{when(r.at)}</td><td>{r.door}</td><td>{r.direction === 'out' ? t('gateOut') : t('gateIn')}</td><td>{r.decision === 'opened' ? t('gateAdmOpened') : t('gateAdmRefused')}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
