import { useEffect, useState } from 'preact/hooks';
import { Button } from './Button.tsx';

/**
 * Whole seconds left before an end screen returns to the start by itself (kiosk.doneSeconds),
 * counted from the moment it first showed: the next person must not find this one's answer, and an
 * unattended door or gate must be watching again for them.
 */
export function useClosing(seconds: number): number {
  const [deadline] = useState(() => Date.now() + seconds * 1000);
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setLeft(remaining);
      // The same reset as an idle kiosk: the journey is cancelled, language and text size go back.
      if (remaining === 0) window.dispatchEvent(new Event('kiosk-idle-reset'));
    }, 250);
    return () => clearInterval(timer);
  }, [deadline]);
  return left;
}

export interface FinishButtonProps {
  readonly seconds: number;
  readonly label: string;
  /** What a screen reader hears: "closes in {seconds} s". */
  readonly closesIn: (seconds: number) => string;
  readonly onFinish: () => void;
  readonly testId?: string;
}

/** An end screen's one way on; the screen also closes by itself after `seconds`. */
export function FinishButton({ seconds, label, closesIn, onFinish, testId = 'done' }: FinishButtonProps) {
  const left = useClosing(seconds);
  return (
    <>
      <Button kind="primary" icon="ok" large testId={testId} onClick={onFinish}>{label}</Button>
      <span class="sr-only" data-testid="done-closes">{closesIn(left)}</span>
    </>
  );
}
