import { Icon } from './icons.tsx';

/**
 * A problem as the person reads it: an icon and plain words. The code is for staff only, in small
 * type under the words (`staffCode` is already worded, e.g. "Mã cho nhân viên: FACE_NO_MATCH").
 */
export function ProblemPanel({ words, hint, staffCode }: { words: string; hint?: string; staffCode?: string }) {
  return (
    <div class="problem-panel">
      <Icon name="alert" class="problem-icon" />
      <p class="problem-words" data-testid="failed-message">{words}</p>
      {hint && <p class="lead">{hint}</p>}
      {staffCode && <p class="staff-code" data-staff="true" data-testid="staff-code">{staffCode}</p>}
    </div>
  );
}

/** A problem inside a screen (a typed number that cannot be right): large, with the same icon. */
export function InlineProblem({ words, testId }: { words: string; testId?: string }) {
  return (
    <p class="inline-problem" role="alert" data-testid={testId}>
      <Icon name="alert" />
      <span>{words}</span>
    </p>
  );
}
