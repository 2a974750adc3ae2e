import { Icon } from './icons.tsx';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export interface KeypadProps {
  /** Prefix of each key's test id: `${testPrefix}-7`, `-backspace`, `-ok`. */
  testPrefix: string;
  backspaceLabel: string;
  okLabel: string;
  okDisabled?: boolean;
  onDigit: (digit: string) => void;
  onBackspace: () => void;
  onOk: () => void;
}

/** Digits 1-9, then backspace, 0 and OK: one layout for the ID number and the staff PIN. */
export function Keypad({ testPrefix, backspaceLabel, okLabel, okDisabled, onDigit, onBackspace, onOk }: KeypadProps) {
  const digit = (d: string) => (
    <button type="button" key={d} class="btn" data-testid={`${testPrefix}-${d}`} onClick={() => onDigit(d)}>{d}</button>
  );
  return (
    <div class="keypad">
      {DIGITS.map(digit)}
      <button type="button" class="btn word" data-testid={`${testPrefix}-backspace`} onClick={onBackspace}>
        <Icon name="backspace" />
        <span>{backspaceLabel}</span>
      </button>
      {digit('0')}
      <button type="button" class="btn word primary" data-testid={`${testPrefix}-ok`} disabled={okDisabled} onClick={onOk}>
        <Icon name="ok" />
        <span>{okLabel}</span>
      </button>
    </div>
  );
}
