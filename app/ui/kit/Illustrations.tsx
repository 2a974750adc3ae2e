/** Drawn illustrations of what to do with the body: where the card goes, where to look. */

/** The card coming down flat onto the reader, with the reader named. */
export function CardOnReader({ readerLabel }: { readerLabel: string }) {
  return (
    <figure class="illustration card-on-reader" aria-hidden="true">
      <svg viewBox="0 0 400 300">
        <rect x="40" y="180" width="320" height="100" rx="22" style={{ fill: 'var(--ink)' }} />
        <g style={{ stroke: 'var(--paper)' }} fill="none" stroke-width="7" stroke-linecap="round">
          <path d="M186 214a22 22 0 0 1 0 32" />
          <path d="M202 204a36 36 0 0 1 0 52" />
          <path d="M218 194a50 50 0 0 1 0 72" />
        </g>
        <g class="tap">
          <rect x="90" y="38" width="220" height="136" rx="16" style={{ fill: 'var(--surface)', stroke: 'var(--action)' }} stroke-width="6" />
          <rect x="114" y="84" width="44" height="36" rx="6" fill="#d9ad3c" />
          <g style={{ fill: 'var(--line)' }}>
            <rect x="176" y="80" width="110" height="12" rx="6" />
            <rect x="176" y="102" width="90" height="12" rx="6" />
            <rect x="176" y="124" width="100" height="12" rx="6" />
          </g>
        </g>
        <path d="M360 40v96m-22-24l22 24 22-24" fill="none" style={{ stroke: 'var(--action)' }} stroke-width="8" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
      <figcaption class="caption">{readerLabel}</figcaption>
    </figure>
  );
}

/** A face looking up at the camera above the screen. */
export function LookAtCamera({ caption }: { caption: string }) {
  return (
    <figure class="illustration look-at-camera" aria-hidden="true">
      <svg viewBox="0 0 400 210">
        <rect x="130" y="6" width="140" height="44" rx="22" style={{ fill: 'var(--ink)' }} />
        <circle cx="200" cy="28" r="13" style={{ fill: 'var(--paper)' }} />
        <circle cx="200" cy="28" r="6" style={{ fill: 'var(--action)' }} />
        <path class="look" d="M200 118V66m-22 22l22-22 22 22" fill="none" style={{ stroke: 'var(--action)' }} stroke-width="8" stroke-linecap="round" stroke-linejoin="round" />
        <circle cx="200" cy="166" r="38" fill="none" style={{ stroke: 'var(--ink)' }} stroke-width="6" />
        <g style={{ fill: 'var(--ink)' }}>
          <circle cx="186" cy="154" r="5" />
          <circle cx="214" cy="154" r="5" />
        </g>
        <path d="M186 180q14 10 28 0" fill="none" style={{ stroke: 'var(--ink)' }} stroke-width="5" stroke-linecap="round" />
      </svg>
      <figcaption class="caption">{caption}</figcaption>
    </figure>
  );
}
