/** The kit's icons: a few strokes each, drawn in the text colour so they follow every colour mode. */
const PATHS = {
  cancel: 'M6 6l12 12M18 6L6 18',
  back: 'M15 5l-7 7 7 7',
  ok: 'M5 12.5l4.5 4.5L19 7',
  backspace: 'M9 5h11v14H9l-6-7zM12 9l5 6M17 9l-5 6',
  alert: 'M12 7v7M12 17.5v.5',
  contrast: 'M12 3a9 9 0 1 0 0 18z',
  retry: 'M5 12a7 7 0 1 0 2-5M5 4v4h4',
  face: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M9 10v.5M15 10v.5M8.5 15a4.5 4.5 0 0 0 7 0',
  person: 'M12 4a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7M5 20a7 7 0 0 1 14 0',
  plane: 'M3 12h18M13 12L9 4h2.5l5.5 8-5.5 8H9zM6 12L4 8.5M6 12l-2 3.5',
  bag: 'M5 8h14v11H5zM9 8V5h6v3M8 21v-2M16 21v-2',
  desk: 'M3 10h18M5 10v9M19 10v9M8 6h8v4H8z',
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
