import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { StepIndicator, type StepProgress } from './StepIndicator.tsx';

/** Where the person is in the journey; the journey provides it and every screen shows it. */
export const StepContext = createContext<StepProgress | undefined>(undefined);

export interface ScreenProps {
  testId: string;
  class?: string;
  title?: ComponentChildren;
  /** Above the title (a greeting). */
  kicker?: ComponentChildren;
  /** The ways out (cancel, back), bottom left; always visible, even when the content scrolls. */
  exits?: ComponentChildren;
  /** The ways on (primary actions), bottom right. */
  actions?: ComponentChildren;
  /** Extra attributes tests read (the failure code, a status). */
  data?: Record<string, string>;
  children?: ComponentChildren;
}

/**
 * One kiosk screen: step indicator and title at the top, content in the middle, actions at the
 * bottom. Taller content scrolls from its top; it is never centred out of reach.
 */
export function Screen({ testId, class: cls, title, kicker, exits, actions, data, children }: ScreenProps) {
  const progress = useContext(StepContext);
  const dataAttrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <section class={`screen ${cls ?? ''}`} data-testid={testId} {...dataAttrs}>
      {(progress || title || kicker) && (
        <header class="screen-head">
          {progress && <StepIndicator {...progress} />}
          {kicker}
          {title && <h1>{title}</h1>}
        </header>
      )}
      <div class="screen-body">{children}</div>
      {(exits || actions) && (
        <div class="screen-actions">
          <div class="exits">{exits}</div>
          <div class="forward">{actions}</div>
        </div>
      )}
    </section>
  );
}
