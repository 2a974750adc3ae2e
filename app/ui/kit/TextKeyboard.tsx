import { useState } from 'preact/hooks';
import { Icon } from './icons.tsx';
import { TONES, type Tone } from './vietnamese-tones.ts';

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'] as const;
const VIETNAMESE_LETTERS = 'ăâđêôơư';
/** Each tone key shows the tone on an a, as Vietnamese keyboards do. */
const TONE_FACE: Record<Tone, string> = { sac: 'á', huyen: 'à', hoi: 'ả', nga: 'ã', nang: 'ạ' };
const PUNCTUATION = [',', '.', '-', '/', '@'] as const;

export interface TextKeyboardLabels {
  readonly space: string;
  readonly backspace: string;
  readonly shift: string;
  readonly hide: string;
  /** Spoken name of a tone key (e.g. "dấu sắc"). */
  readonly tone: (tone: Tone) => string;
}

export interface TextKeyboardProps {
  readonly labels: TextKeyboardLabels;
  readonly onText: (text: string) => void;
  readonly onTone: (tone: Tone) => void;
  readonly onBackspace: () => void;
  readonly onHide: () => void;
}

/**
 * A keyboard for staff fields on a touch-only kiosk: Vietnamese letters with keys of their own
 * (ă â đ ê ô ơ ư) and five tone keys that put the tone on the word just typed (vietnamese-tones.ts),
 * one-shot shift for capitals, digits and the punctuation of names, addresses and e-mail.
 * Pressing a key never takes the focus from the field being typed in.
 */
export function TextKeyboard({ labels, onText, onTone, onBackspace, onHide }: TextKeyboardProps) {
  const [shift, setShift] = useState(false);
  const letter = (k: string) => (shift ? k.toUpperCase() : k);
  const type = (k: string) => {
    onText(letter(k));
    setShift(false);
  };
  const key = (k: string) => (
    <button type="button" key={k} class="btn" data-testid={`kbd-${k}`} onClick={() => type(k)}>{letter(k)}</button>
  );
  return (
    <div class="text-keyboard unscaled" data-testid="text-keyboard" role="group" onPointerDown={(e) => e.preventDefault()} onMouseDown={(e) => e.preventDefault()}>
      {ROWS.slice(0, 3).map((row) => <div class="keyboard-row" key={row}>{[...row].map(key)}</div>)}
      <div class="keyboard-row">
        <button type="button" class={`btn word${shift ? ' on' : ''}`} aria-pressed={shift} data-testid="kbd-shift" onClick={() => setShift(!shift)}>⇧ {labels.shift}</button>
        {[...ROWS[3]].map(key)}
        <button type="button" class="btn word" data-testid="kbd-backspace" aria-label={labels.backspace} onClick={onBackspace}><Icon name="backspace" /></button>
      </div>
      <div class="keyboard-row">
        {[...VIETNAMESE_LETTERS].map(key)}
        {TONES.map((tone) => (
          <button type="button" key={tone} class="btn tone" data-testid={`kbd-tone-${tone}`} aria-label={labels.tone(tone)} onClick={() => onTone(tone)}>{TONE_FACE[tone]}</button>
        ))}
      </div>
      <div class="keyboard-row">
        {PUNCTUATION.map((k) => <button type="button" key={k} class="btn" data-testid={`kbd-${k}`} onClick={() => onText(k)}>{k}</button>)}
        <button type="button" class="btn word space" data-testid="kbd-space" onClick={() => onText(' ')}>{labels.space}</button>
        <button type="button" class="btn word hide" data-testid="kbd-hide" onClick={onHide}>{labels.hide}</button>
      </div>
    </div>
  );
}
