/**
 * The gate's screens: the door's answer (welcome by name with in/out, or why not in plain words),
 * the enrolment desk's form and confirmation, and the visitors' host choice, wait and refusal.
 * Every view is read with the schema the flow built it with; an unreadable one still has a way out.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import { Button, Icon, Screen } from '../../../ui/kit/index.ts';
import type { SiteStepProps } from '../../../ui/site-ui.ts';
import { gateViews } from '../common/site.ts';

type Views = typeof gateViews;
type Data<K extends keyof Views> = z.output<Views[K]>;
type Choose = (payload: Record<string, unknown>) => void;

/** How often a waiting visitor's screen asks whether the host answered. */
const HOST_POLL_MS = 3000;

export function GateStep(props: SiteStepProps) {
  const { site, act } = props;
  const choose: Choose = (payload) => act({ action: 'site', payload });
  const step = site.siteStep as keyof Views;
  const schema = Object.hasOwn(gateViews, step) ? gateViews[step] : undefined;
  const parsed = schema?.safeParse(site.data);
  if (!parsed?.success) return <Screen testId={`site-${site.siteStep}`} title={props.t('err_generic')} exits={props.cancel} />;
  const d = parsed.data;
  switch (step) {
    case 'door-open':
      return <DoorOpen {...props} data={d as Data<'door-open'>} />;
    case 'door-refused':
      return <DoorRefused {...props} data={d as Data<'door-refused'>} />;
    case 'enrolment-details':
      return <EnrolmentDetails {...props} data={d as Data<'enrolment-details'>} choose={choose} />;
    case 'enrolled':
      return <Enrolled {...props} data={d as Data<'enrolled'>} />;
    case 'visitor-host':
      return <VisitorHost {...props} data={d as Data<'visitor-host'>} choose={choose} />;
    case 'visitor-waiting':
      return <VisitorWaiting {...props} data={d as Data<'visitor-waiting'>} choose={choose} />;
    default:
      return <VisitorRefused {...props} data={d as Data<'visitor-refused'>} />;
  }
}

function DoorOpen(props: SiteStepProps & { data: Data<'door-open'> }) {
  const { t, data } = props;
  return (
    <Screen testId="site-door-open" class="gate door-open" data={{ direction: data.direction }} title={t(data.direction === 'in' ? 'gateWelcomeIn' : 'gateWelcomeOut', { name: data.name })} actions={props.finish}>
      <div class="gate-answer ok">
        <Icon name="ok" class="icon big" />
        <p class="lead" data-testid="door-name">{data.name}</p>
        <p class="direction" data-testid="door-direction">{t(data.direction === 'in' ? 'gateIn' : 'gateOut')} · {data.door}</p>
        {data.visitor && <p data-testid="door-visitor-note">{t(data.visitEnded ? 'gateVisitEndedNote' : 'gateVisitorNote')}</p>}
        {data.ruleBroken && <p class="notice warn" data-testid="door-rule">{t(`gateRule_${data.ruleBroken}`)}</p>}
      </div>
    </Screen>
  );
}

function DoorRefused(props: SiteStepProps & { data: Data<'door-refused'> }) {
  const { t, data } = props;
  return (
    <Screen testId="site-door-refused" class="gate door-refused" data={{ reason: data.reason }} title={t('gateRefusedTitle')} actions={props.finish}>
      <div class="gate-answer refused">
        <Icon name="alert" class="icon big" />
        {data.name && <p class="lead">{data.name}</p>}
        <p class="lead" data-testid="door-reason">{t(`gateRefused_${data.reason}`)}</p>
        <p>{t('gateRefusedHelp')}</p>
      </div>
    </Screen>
  );
}

function EnrolmentDetails(props: SiteStepProps & { data: Data<'enrolment-details'>; choose: Choose }) {
  const { t, data, choose, cancel } = props;
  const [employeeNo, setEmployeeNo] = useState(data.employeeNo ?? '');
  const [department, setDepartment] = useState(data.department ?? '');
  const [group, setGroup] = useState(data.group ?? '');
  return (
    <Screen
      testId="site-enrolment-details"
      class="gate enrolment"
      kicker={<p class="greeting">{data.name} · {data.birthYear}</p>}
      title={t(data.replacing ? 'gateReenrolTitle' : 'gateEnrolTitle')}
      exits={cancel}
      actions={<Button kind="primary" icon="ok" large testId="enrol" onClick={() => choose({ employeeNo, department, group })}>{t('gateEnrolSave')}</Button>}
    >
      {data.replacing && <p class="notice warn" data-testid="enrol-replacing">{t('gateReenrolLead')}</p>}
      {data.problem && <p class="notice warn" data-testid="enrol-problem" data-code={data.problem}>{t(`gateEnrolProblem_${data.problem}`)}</p>}
      <label class="field">
        <span>{t('gateEmployeeNo')}</span>
        <input data-testid="enrol-employee-no" value={employeeNo} maxLength={40} autoComplete="off" onInput={(e) => setEmployeeNo((e.target as HTMLInputElement).value)} />
      </label>
      <label class="field">
        <span>{t('gateDepartment')}</span>
        <input data-testid="enrol-department" list="gate-departments" value={department} maxLength={100} autoComplete="off" onInput={(e) => setDepartment((e.target as HTMLInputElement).value)} />
        <datalist id="gate-departments">{data.departments.map((d) => <option key={d} value={d} />)}</datalist>
      </label>
      <p class="field-label">{t('gateGroup')}</p>
      <div class="choices fit" role="radiogroup">
        {data.groups.map((g) => (
          <Button key={g.id} kind={g.id === group ? 'primary' : 'secondary'} class="choice" testId={`enrol-group-${g.id}`} onClick={() => setGroup(g.id)}>{g.name}</Button>
        ))}
      </div>
      <p class="hint">{t('gateEnrolFaceNote')}</p>
    </Screen>
  );
}

function Enrolled(props: SiteStepProps & { data: Data<'enrolled'> }) {
  const { t, data } = props;
  return (
    <Screen testId="site-enrolled" class="gate enrolled" title={t(data.replaced ? 'gateReenrolled' : 'gateEnrolled')} actions={props.finish}>
      <div class="gate-answer ok">
        <Icon name="ok" class="icon big" />
        <p class="lead">{data.name}</p>
        <p data-testid="enrolled-summary">{data.employeeNo} · {data.group}</p>
        <p>{t(data.withFace ? 'gateEnrolledFace' : 'gateEnrolledNoFace')}</p>
      </div>
    </Screen>
  );
}

function VisitorHost(props: SiteStepProps & { data: Data<'visitor-host'>; choose: Choose }): JSX.Element {
  const { t, data, choose, cancel } = props;
  const [filter, setFilter] = useState('');
  const [host, setHost] = useState<string | undefined>();
  const [purpose, setPurpose] = useState<string | undefined>();
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();
  const shown = data.hosts.filter((h) => fold(`${h.name} ${h.department ?? ''}`).includes(fold(filter))).slice(0, 12);
  return (
    <Screen
      testId="site-visitor-host"
      class="gate visitor-host"
      kicker={<p class="greeting">{t('greeting', { name: data.name })}</p>}
      title={t('gateHostTitle')}
      exits={cancel}
      actions={<Button kind="primary" icon="ok" large disabled={!host || !purpose} testId="ask-host" onClick={() => choose({ host, purpose })}>{t('gateAskHost')}</Button>}
    >
      <p class="lead">{t('gateHostLead')}</p>
      {data.problem && <p class="notice warn" data-testid="host-problem">{t(`gateHostProblem_${data.problem}`)}</p>}
      <label class="field">
        <span>{t('gateHostSearch')}</span>
        <input data-testid="host-filter" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      </label>
      <div class="choices fit">
        {shown.map((h) => (
          <Button key={h.id} kind={h.id === host ? 'primary' : 'secondary'} class="choice" testId={`host-${h.id}`} onClick={() => setHost(h.id)}>
            {h.name}
            {h.department && <span class="sub">{h.department}</span>}
          </Button>
        ))}
      </div>
      <p class="field-label">{t('gatePurpose')}</p>
      <div class="choices fit">
        {data.purposes.map((p, i) => (
          <Button key={p} kind={p === purpose ? 'primary' : 'secondary'} class="choice" testId={`purpose-${i}`} onClick={() => setPurpose(p)}>{p}</Button>
        ))}
      </div>
    </Screen>
  );
}

function VisitorWaiting(props: SiteStepProps & { data: Data<'visitor-waiting'>; choose: Choose }) {
  const { t, data, choose, cancel } = props;
  useEffect(() => {
    const poll = setInterval(() => choose({ check: true }), HOST_POLL_MS);
    return () => clearInterval(poll);
  }, [data.hostName]);
  return (
    <Screen testId="site-visitor-waiting" class="gate visitor-waiting" title={t('gateWaitingTitle')} exits={cancel}>
      <p class="lead">{t('gateWaitingLead', { host: data.hostName })}</p>
      <p>{t('gateWaitingHint')}</p>
    </Screen>
  );
}

function VisitorRefused(props: SiteStepProps & { data: Data<'visitor-refused'> }) {
  const { t, data } = props;
  return (
    <Screen testId="site-visitor-refused" class="gate visitor-refused" data={{ reason: data.reason }} title={t('gateVisitorRefusedTitle')} actions={props.finish}>
      <p class="lead" data-testid="visitor-reason">{t(`gateVisitorRefused_${data.reason}`)}</p>
      <p>{t('gateRefusedHelp')}</p>
    </Screen>
  );
}
