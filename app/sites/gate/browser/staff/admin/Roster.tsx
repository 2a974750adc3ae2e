/**
 * The administrator's roster page: the enrolled workers as HR's CSV (downloaded), and HR's edited
 * CSV back (pasted or chosen as a file): what it changed, and each line it could not apply.
 */
import { useState } from 'preact/hooks';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { translateOr } from '../../../../../ui/i18n.ts';
import { Button } from '../../../../../ui/kit/index.ts';
import { Field, useAction, valueOf } from './shared.tsx';

interface ImportResult {
  rows: number;
  changed: number;
  unchanged: number;
  problems: { line: number; code: string; value?: string; problem: string }[];
}

export function RosterPage(props: SiteMaintenanceProps) {
  const { t } = props;
  const { call, busy, shown } = useAction(props);
  const [csv, setCsv] = useState('');
  const [result, setResult] = useState<ImportResult | undefined>();
  const download = async () => {
    const r = await call<{ filename: string; csv: string }>('roster-export', {});
    if (!r) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([`\ufeff${r.csv}`], { type: 'text/csv;charset=utf-8' }));
    a.download = r.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  const choose = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setCsv(await file.text());
  };
  const upload = async () => {
    setResult(undefined);
    const r = await call<ImportResult>('roster-import', { csv });
    if (r) setResult(r);
  };
  return (
    <div class="gate-admin" data-testid="gate-admin-roster">
      <h2>{t('gateAdmRosterExport')}</h2>
      <p>{t('gateAdmRosterExportLead')}</p>
      <Button kind="primary" icon="ok" large testId="roster-export" disabled={busy} onClick={() => void download()}>{t('gateAdmRosterDownload')}</Button>
      <h2>{t('gateAdmRosterImport')}</h2>
      <p>{t('gateAdmRosterImportLead')}</p>
      <div class="gate-admin-form">
        <Field label={t('gateAdmRosterFile')} wide><input type="file" accept=".csv,text/csv" data-testid="roster-file" onChange={(e) => void choose(e)} /></Field>
        <Field label={t('gateAdmRosterPaste')} wide>
          <textarea rows={8} value={csv} data-testid="roster-csv" onInput={(e) => setCsv(valueOf(e))} />
        </Field>
        <Button kind="primary" icon="ok" testId="roster-import" disabled={busy || !csv.trim()} onClick={() => void upload()}>{t('gateAdmRosterApply')}</Button>
      </div>
      {shown}
      {result && (
        <div class="notice ok" data-testid="roster-result" data-changed={result.changed}>
          <p>{t('gateAdmRosterResult', { rows: result.rows, changed: result.changed, unchanged: result.unchanged })}</p>
          {result.problems.length > 0 && (
            <ul class="gate-admin-problems" data-testid="roster-problems">
              {result.problems.map((p, i) => (
                <li key={i}>{p.line > 0 ? t('gateAdmRosterLine', { line: p.line }) : ''}{translateOr(props.lang, `gateAdmRoster_${p.code}`, p.problem, { value: p.value ?? '' })}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
