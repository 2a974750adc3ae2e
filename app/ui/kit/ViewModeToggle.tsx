import { Icon } from './icons.tsx';

export type ViewMode = 'normal' | 'clear';

/** Large text and high contrast, one touch away on every screen; the page's root carries the mode. */
export function ViewModeToggle({ mode, onChange, labels }: { mode: ViewMode; onChange: (m: ViewMode) => void; labels: { on: string; off: string; label: string } }) {
  const clear = mode === 'clear';
  return (
    <button
      type="button"
      class="btn on-topbar view-toggle"
      aria-pressed={clear}
      aria-label={labels.label}
      data-testid="view-toggle"
      onClick={() => onChange(clear ? 'normal' : 'clear')}
    >
      <Icon name="contrast" />
      <span>{clear ? labels.off : labels.on}</span>
    </button>
  );
}

/** Applies the mode to <html>, where the tokens read it. */
export function applyViewMode(mode: ViewMode): void {
  if (mode === 'clear') document.documentElement.dataset.view = 'clear';
  else delete document.documentElement.dataset.view;
}
