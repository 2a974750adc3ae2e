import { useEffect, useState } from 'preact/hooks';

/** Whole seconds left before the screen returns to the start by itself (as the journey's done screen does). */
export function useClosing(seconds: number): number {
  const [deadline] = useState(() => Date.now() + seconds * 1000);
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) window.dispatchEvent(new Event('kiosk-idle-reset'));
    }, 250);
    return () => clearInterval(timer);
  }, [deadline]);
  return left;
}
