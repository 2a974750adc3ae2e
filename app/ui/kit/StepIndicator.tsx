export interface StepProgress {
  /** 1-based. */
  readonly n: number;
  readonly total: number;
  /** "Bước 3/6", already in the person's language. */
  readonly text: string;
  /** The step's name ("Khuôn mặt"). */
  readonly name: string;
}

export function StepIndicator({ n, total, text, name }: StepProgress) {
  return (
    <div class="step-indicator" data-testid="step-indicator" data-step-n={n} data-step-total={total}>
      <p class="step-text"><strong>{text}</strong> · {name}</p>
      <ol class="step-track" aria-hidden="true">
        {Array.from({ length: total }, (_, i) => <li key={i} class={i + 1 < n ? 'done' : i + 1 === n ? 'current' : ''} />)}
      </ol>
    </div>
  );
}
