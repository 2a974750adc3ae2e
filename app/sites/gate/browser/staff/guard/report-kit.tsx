/**
 * What the guard's report pages share: running a staff action with its error in words, the site's
 * today as a local day, a day field, a CSV download and the printable part of a page.
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { T } from '../../../../../ui/App.tsx';
import { translateCode, type Language } from '../../../../../ui/i18n.ts';
import { Button } from '../../../../../ui/kit/index.ts';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';

/** Today in the site's time zone, as YYYY-MM-DD (the reports speak in the site's local days). */
export function todayIn(timeZone: string, at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The kiosk error code of a failed action (the API client rejects with `{ code }`). */
const codeOf = (e: unknown) => (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'generic');

/** Runs actions one at a time; the last answer or the problem in words. */
export function useAction<R>(props: Pick<SiteMaintenanceProps, 'run' | 'lang'>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const call = async (action: string, input: unknown): Promise<R | undefined> => {
    setBusy(true);
    setProblem(null);
    try {
      return (await props.run(action, input)) as R;
    } catch (e) {
      setProblem(translateCode(props.lang, 'err_', codeOf(e)));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, call };
}

export function Problem({ text }: { text: string | null }) {
  return text ? <p class="notice problem" role="alert" data-testid="gate-report-problem">{text}</p> : null;
}

export function DayField({ label, value, onInput, testId }: { label: string; value: string; onInput: (v: string) => void; testId: string }) {
  return (
    <label class="gate-report-field">
      <span>{label}</span>
      <input type="date" value={value} data-testid={testId} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
}

export function TextField({ label, value, onInput, testId }: { label: string; value: string; onInput: (v: string) => void; testId: string }) {
  return (
    <label class="gate-report-field wide">
      <span>{label}</span>
      <input type="search" value={value} data-testid={testId} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
}

/** Saves `csv` as a file (UTF-8 with a byte-order mark, so spreadsheets read the diacritics right). */
export function downloadCsv(csv: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Prints only `section` (guard.css hides the rest of the screen while it is marked). */
function printOnly(section: HTMLElement | null): void {
  if (!section) return;
  section.classList.add('gate-print-this');
  window.addEventListener('afterprint', () => section.classList.remove('gate-print-this'), { once: true });
  window.print();
}

/** A page's printable part (the logbook, an evacuation list) with its Print button. */
export function Printable({ t, title, children, testId }: { t: T; title: string; children: ComponentChildren; testId: string }) {
  const ref = useRef<HTMLElement>(null);
  return (
    <section class="gate-printable" data-testid={testId} ref={ref}>
      <header class="gate-printable-head">
        <h2>{title}</h2>
        <Button kind="secondary" class="no-print" testId={`${testId}-print`} onClick={() => printOnly(ref.current)}>{t('gateReportPrint')}</Button>
      </header>
      {children}
    </section>
  );
}

export type { Language };
