/**
 * One open alarm on the guard's board: for a blocklist hit both photos side by side (the entry's
 * picture and the capture at the door), then what the guard did (a ready note or their own) and
 * Done, which closes the alarm and writes the note into the logbook.
 */
import { useEffect, useState } from 'preact/hooks';
import type { T } from '../../../../../ui/App.tsx';
import { translateOr } from '../../../../../ui/i18n.ts';
import { Button, formatTime } from '../../../../../ui/kit/index.ts';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { Problem, useAction } from './report-kit.tsx';

export interface BoardAlarm {
  readonly id: number;
  readonly at: string;
  readonly code: string;
  readonly door: string | null;
  readonly who: string | null;
}

interface AlarmDetail {
  readonly entryName: string | null;
  readonly entryReason: string | null;
  readonly score: number | null;
  readonly entryPhoto: string | null;
  readonly capture: string | null;
}

const NOTES = { BLOCKLISTED: ['escorted', 'checked', 'police'], DOOR_FAULT: ['fixed'] } as Record<string, readonly string[]>;

function Photo({ t, src, caption, testId }: { t: T; src: string | null; caption: string; testId: string }) {
  return (
    <figure class="gate-alarm-photo" data-testid={testId}>
      {src ? <img src={src} alt={caption} /> : <div class="gate-alarm-nophoto">{t('gateAlarmNoPhoto')}</div>}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

export function AlarmCard({ alarm, props, onDone }: { alarm: BoardAlarm; props: SiteMaintenanceProps; onDone: () => void }) {
  const { t, lang, timeZone } = props;
  const [detail, setDetail] = useState<AlarmDetail | undefined>();
  const [note, setNote] = useState('');
  const action = useAction<unknown>(props);
  const canSee = props.actions.includes('alarm-detail');
  const canAck = props.actions.includes('alarm-acknowledge');
  useEffect(() => {
    if (canSee && alarm.code === 'BLOCKLISTED') void props.run('alarm-detail', { id: alarm.id }).then((d) => setDetail(d as AlarmDetail), () => undefined);
  }, [alarm.id]);
  const acknowledge = async () => {
    if ((await action.call('alarm-acknowledge', { id: alarm.id, note: note.trim() })) !== undefined) onDone();
  };
  return (
    <li class="gate-alarm notice problem" data-testid={`gate-alarm-${alarm.id}`} data-code={alarm.code}>
      <strong class="gate-alarm-title">{formatTime(alarm.at, lang, timeZone)} · {translateOr(lang, `gateAlarm_${alarm.code}`, alarm.code)}</strong>
      <span>{[detail?.entryName ?? alarm.who, alarm.door].filter(Boolean).join(' · ')}</span>
      {detail?.entryReason && <span class="quiet">{detail.entryReason}</span>}
      {alarm.code === 'BLOCKLISTED' && canSee && (
        <div class="gate-alarm-photos">
          <Photo t={t} src={detail?.entryPhoto ?? null} caption={t('gateAlarmListPhoto')} testId="gate-alarm-entry-photo" />
          <Photo t={t} src={detail?.capture ?? null} caption={t('gateAlarmCapture')} testId="gate-alarm-capture" />
        </div>
      )}
      {detail?.score != null && <span class="quiet">{t('gateAlarmScore', { score: Math.round(detail.score * 100) })}</span>}
      {canAck && (
        <div class="gate-alarm-ack">
          <label class="gate-report-field wide">
            <span>{t('gateAlarmNote')}</span>
            <input type="text" maxLength={500} value={note} data-testid="gate-alarm-note" placeholder={t('gateAlarmNoteHint')} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          </label>
          <div class="gate-alarm-notes">
            {(NOTES[alarm.code] ?? []).map((n) => {
              const text = t(`gateAlarmNote_${n}` as Parameters<T>[0]);
              return <Button key={n} kind="secondary" testId={`gate-alarm-note-${n}`} onClick={() => setNote(text)}>{text}</Button>;
            })}
          </div>
          <Button kind="primary" icon="ok" testId="gate-alarm-acknowledge" disabled={action.busy || note.trim() === ''} onClick={() => void acknowledge()}>{t('gateAlarmAcknowledge')}</Button>
          <Problem text={action.problem} />
        </div>
      )}
    </li>
  );
}
