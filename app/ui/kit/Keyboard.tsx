import { Icon } from './icons.tsx';

const ROWS = ['1234567890', 'QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'] as const;

export interface KeyboardProps {
  /** Prefix of each key's test id: `${testPrefix}-Q`, `-space`, `-backspace`. */
  testPrefix: string;
  spaceLabel: string;
  backspaceLabel: string;
  onKey: (key: string) => void;
  onBackspace: () => void;
}

/**
 * Capital letters and digits, as airlines and booking codes write them (no marks: a booked name is
 * upper-case ASCII), in the QWERTY order people know from their phones, with space and backspace.
 */
export function Keyboard({ testPrefix, spaceLabel, backspaceLabel, onKey, onBackspace }: KeyboardProps) {
  return (
    <div class="keyboard">
      {ROWS.map((row) => (
        <div class="keyboard-row" key={row}>
          {[...row].map((k) => (
            <button type="button" key={k} class="btn" data-testid={`${testPrefix}-${k}`} onClick={() => onKey(k)}>{k}</button>
          ))}
        </div>
      ))}
      <div class="keyboard-row">
        <button type="button" class="btn word space" data-testid={`${testPrefix}-space`} onClick={() => onKey(' ')}>{spaceLabel}</button>
        <button type="button" class="btn word" data-testid={`${testPrefix}-backspace`} onClick={onBackspace}>
          <Icon name="backspace" />
          <span>{backspaceLabel}</span>
        </button>
      </div>
    </div>
  );
}
