/** The kit's icons: a few strokes each, drawn in the text colour so they follow every colour mode. */
const PATHS = {
  cancel: 'M6 6l12 12M18 6L6 18',
  back: 'M15 5l-7 7 7 7',
  ok: 'M5 12.5l4.5 4.5L19 7',
  backspace: 'M9 5h11v14H9l-6-7zM12 9l5 6M17 9l-5 6',
  alert: 'M12 7v7M12 17.5v.5',
  contrast: 'M12 3a9 9 0 1 0 0 18z',
  retry: 'M5 12a7 7 0 1 0 2-5M5 4v4h4',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, class: cls = 'icon' }: { name: IconName; class?: string }) {
  return (
    <svg class={cls} viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round">
      {name === 'alert' && <circle cx="12" cy="12" r="10" />}
      {name === 'contrast' && <circle cx="12" cy="12" r="9" />}
      <path d={PATHS[name]} fill={name === 'contrast' ? 'currentColor' : 'none'} />
    </svg>
  );
}
