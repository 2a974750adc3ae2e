import type { ComponentChildren } from 'preact';
import { Screen } from './Screen.tsx';

/** A wait that says what is happening: a spinner, a title and a line of words, announced politely. */
export function WaitingScreen({ testId, title, lead, exits, children }: { testId: string; title: string; lead?: string; exits?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <Screen testId={testId} class="waiting" title={title} exits={exits}>
      <div class="waiting-group">
        <div class="spinner" aria-hidden="true" />
        {lead && <p class="lead" role="status">{lead}</p>}
        {children}
      </div>
    </Screen>
  );
}
