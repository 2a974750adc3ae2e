/**
 * What the gate's admin pages share: running a staff action with its problem shown in words (the
 * fields a refused input names, translated), and the labelled field every form is made of.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { translateOr } from '../../../../../ui/i18n.ts';
import { InlineProblem } from '../../../../../ui/kit/index.ts';

export interface Problem {
  readonly code: string;
  readonly message: string;
}

/** Words for a refused action: its code's text, and for an input refusal the fields it names. */
/**
 * An invalid invitation's message names its problem in English (the partner API returns it as is);
 * the screen words the ones a receptionist can correct.
 */
const INVITATION_PROBLEMS: readonly [RegExp, string][] = [
  [/end after it starts/, 'INVITATION_WINDOW_ORDER'],
  [/already ended/, 'INVITATION_WINDOW_OVER'],
  [/at most \d+ days/, 'INVITATION_WINDOW_LONG'],
  [/plate/, 'INVITATION_PLATE'],
  [/host/, 'INVITATION_HOST'],
];

export function problemWords(props: Pick<SiteMaintenanceProps, 'lang'>, problem: Problem): string {
  const named = problem.code === 'INVITATION_INVALID' ? INVITATION_PROBLEMS.find(([re]) => re.test(problem.message))?.[1] : undefined;
  const p = named ? { ...problem, code: named } : problem;
  const words = translateOr(props.lang, `gateAdmErr_${p.code}`, translateOr(props.lang, `err_${p.code}`, translateOr(props.lang, 'gateAdmErr_other', p.code, { code: p.code })));
  if (p.code !== 'GATE_INPUT_INVALID') return words;
  // "idNumber: 12 digits; from: a time such as 08:30" → the fields' names on this screen.
  const fields = [...new Set(p.message.split('; ').map((part) => part.split(':')[0]!.split('.')[0]!.trim()))];
  return `${words} ${fields.map((f) => translateOr(props.lang, `gateField_${f}`, f)).join(', ')}`;
}

/** Runs actions one at a time; a refusal is kept to be shown, and the call resolves to undefined. */
export function useAction(props: SiteMaintenanceProps) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const call = async <R,>(action: string, input: unknown): Promise<R | undefined> => {
    setBusy(true);
    setProblem(null);
    try {
      return (await props.run(action, input)) as R;
    } catch (e) {
      setProblem({ code: (e as { code?: string }).code ?? 'INTERNAL', message: (e as Error).message ?? '' });
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const shown = problem ? <InlineProblem words={problemWords(props, problem)} testId="gate-admin-problem" /> : null;
  return { call, problem, busy, shown, clear: () => setProblem(null) };
}

export function Field({ label, children, wide }: { label: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <label class={`gate-admin-field${wide ? ' wide' : ''}`}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/** The value of an input event's target. */
export const valueOf = (e: Event) => (e.currentTarget as HTMLInputElement).value;
