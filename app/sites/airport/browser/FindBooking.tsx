import { useState } from 'preact/hooks';
import type { z } from 'zod';
import { Button, Icon, InlineProblem, Keyboard, Screen } from '../../../ui/kit/index.ts';
import { useWedgeScan } from '../../../ui/wedge.ts';
import type { findBookingViewSchema } from '../common/views.ts';
import { CounterButton, type AirProps } from './parts.tsx';

type Field = 'locator' | 'surname';
const MAX: Record<Field, number> = { locator: 6, surname: 40 };

/**
 * The booking when the ID number found none: the e-ticket's or boarding pass's barcode on the
 * scanner, or the booking code and surname typed on a letter keyboard (airlines write both in
 * capital letters without marks).
 */
export function FindBooking({ t, data, choose, cancel }: AirProps<z.output<typeof findBookingViewSchema>>) {
  const [fields, setFields] = useState<Record<Field, string>>({ locator: '', surname: '' });
  const [active, setActive] = useState<Field>('locator');
  // A new answer from the airline (another problem) is shown until the person types again.
  const [typing, setTyping] = useState(false);
  useWedgeScan((text) => {
    setTyping(false);
    choose({ choose: 'scan', text });
  }, true);
  const edit = (f: (s: string) => string) => {
    setTyping(true);
    const next = f(fields[active]).slice(0, MAX[active]);
    setFields({ ...fields, [active]: next });
    // Six characters of code typed: the surname is next.
    if (active === 'locator' && next.length === MAX.locator) setActive('surname');
  };
  const ready = fields.locator.length === MAX.locator && fields.surname.trim().length > 0;
  const find = () => {
    setTyping(false);
    choose({ choose: 'find', locator: fields.locator, surname: fields.surname.trim() });
  };
  const field = (f: Field, label: string) => (
    <button type="button" class={`typed-field ${active === f ? 'active' : ''}`} data-testid={`field-${f}`} aria-pressed={active === f} onClick={() => setActive(f)}>
      <span class="label">{label}</span>
      <span class="value" data-testid={`field-${f}-value`}>{fields[f] || ' '}</span>
    </button>
  );
  return (
    <Screen
      testId="site-find-booking"
      class="airport find-booking"
      title={t('airFindTitle')}
      data={{ problem: data.problem }}
      exits={<>{cancel}<CounterButton t={t} choose={choose} /></>}
      actions={<Button kind="primary" icon="ok" large testId="find" disabled={!ready} onClick={find}>{t('airFindButton')}</Button>}
    >
      {!typing && <InlineProblem testId="find-problem" words={t(`airFindProblem_${data.problem}`)} />}
      <div class="find-layout">
        <div class="find-side">
          <p class="scan-option"><Icon name="plane" class="scan-icon" /><span>{t('airFindScan')}</span></p>
          <p class="or">{t('airFindOr')}</p>
          {field('locator', t('airFindCode'))}
          {field('surname', t('airFindSurname'))}
          <p class="hint">{t('airFindHint')}</p>
        </div>
        <Keyboard
          testPrefix="key"
          spaceLabel={t('airKeySpace')}
          backspaceLabel={t('airKeyBack')}
          onKey={(k) => edit((s) => (active === 'locator' && k === ' ' ? s : s + k))}
          onBackspace={() => edit((s) => s.slice(0, -1))}
        />
      </div>
    </Screen>
  );
}
