import { useEffect, useState } from 'preact/hooks';
import type { T } from '../App.tsx';
import { TextKeyboard, toneAtCaret } from '../kit/index.ts';

type Field = HTMLInputElement | HTMLTextAreaElement;

/** Fields typed into with letters; digits-only, date and PIN fields have their own pads and pickers. */
const TEXT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', '']);

function typedField(el: EventTarget | null): Field | undefined {
  if (el instanceof HTMLTextAreaElement && !el.readOnly && !el.disabled) return el;
  if (el instanceof HTMLInputElement && TEXT_TYPES.has(el.getAttribute('type') ?? '') && !el.readOnly && !el.disabled) return el;
  return undefined;
}

/** Replaces the field's text as typing would, so the screen's own input handler sees it. */
function edit(field: Field, change: (text: string, start: number, end: number) => { text: string; caret: number }): void {
  const { value } = field;
  const start = field.selectionStart ?? value.length;
  const end = field.selectionEnd ?? start;
  const next = change(value, start, end);
  if (field.maxLength > 0 && next.text.length > field.maxLength) return;
  field.value = next.text;
  field.setSelectionRange(next.caret, next.caret);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * The on-screen keyboard of the staff screens, for a kiosk with a touch screen and no keyboard: it
 * comes up under whichever text field has the focus and goes when the focus leaves the fields or
 * staff hide it (a desk with a real keyboard can hide it once; it stays hidden until logout).
 */
export function StaffKeyboard({ t }: { t: T }) {
  const [field, setField] = useState<Field | undefined>();
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    const onFocusIn = (e: FocusEvent) => {
      const f = typedField(e.target);
      setField(f);
      // The field stays in sight above the keyboard.
      f?.scrollIntoView({ block: 'center' });
    };
    const onFocusOut = (e: FocusEvent) => {
      if (!typedField(e.relatedTarget)) setField(undefined);
    };
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('focusout', onFocusOut);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('focusout', onFocusOut);
    };
  }, []);
  const open = field !== undefined && field.isConnected && !hidden;
  useEffect(() => {
    document.body.classList.toggle('keyboard-open', open);
    return () => document.body.classList.remove('keyboard-open');
  }, [open]);
  if (!open) return null;
  return (
    <TextKeyboard
      labels={{ space: t('keyboardSpace'), backspace: t('keyboardBackspace'), shift: t('keyboardShift'), hide: t('keyboardHide'), tone: (tone) => t(`keyboardTone_${tone}`) }}
      onText={(s) => edit(field, (text, start, end) => ({ text: text.slice(0, start) + s + text.slice(end), caret: start + s.length }))}
      onBackspace={() =>
        edit(field, (text, start, end) => {
          if (start !== end) return { text: text.slice(0, start) + text.slice(end), caret: start };
          // A whole character, even one written as a letter and its marks.
          const before = [...text.slice(0, start).normalize('NFC')].slice(0, -1).join('');
          return { text: before + text.slice(start), caret: before.length };
        })
      }
      onTone={(tone) => edit(field, (text, start) => toneAtCaret(text, start, tone))}
      onHide={() => setHidden(true)}
    />
  );
}
