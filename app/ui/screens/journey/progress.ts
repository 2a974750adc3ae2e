import type { JourneyState } from '../../../core/journey/journey.ts';

/** The stages a person is told about ("Bước 3/6 · Khuôn mặt"); several journey steps share one. */
export type Stage = 'consent' | 'card' | 'face' | 'verify' | 'site' | 'ticket';
/**
 * By card (the whole check), or by face alone (a returning patient who saved their face, or a person
 * whose scanned code the face is matched to).
 */
export type JourneyPath = 'card' | 'face';

const STAGES: Record<JourneyPath, readonly Stage[]> = {
  card: ['consent', 'card', 'face', 'verify', 'site', 'ticket'],
  face: ['consent', 'face', 'site', 'ticket'],
};

export function stageOf(state: JourneyState): Stage | undefined {
  switch (state.step) {
    case 'consent': return 'consent';
    case 'present-card': case 'reading': return 'card';
    case 'face': case 'face-identify': return 'face';
    case 'verifying': return 'verify';
    case 'site': return 'site';
    case 'printing': case 'done': return 'ticket';
    default: return undefined; // the start screen and failures are not steps
  }
}

/** The path the journey is on now: chosen at consent, and the card path once the card is asked for. */
export function pathOf(state: JourneyState, previous: JourneyPath): JourneyPath {
  switch (state.step) {
    case 'consent': return state.mode ? 'face' : 'card';
    case 'face-identify': case 'checking-code': return 'face';
    case 'face': return state.against === 'code' ? 'face' : 'card';
    case 'present-card': case 'reading': case 'verifying': return 'card';
    default: return previous;
  }
}

export function progressOf(state: JourneyState, path: JourneyPath): { n: number; total: number; stage: Stage } | undefined {
  const stage = stageOf(state);
  const stages = STAGES[path];
  const i = stage ? stages.indexOf(stage) : -1;
  return stage && i >= 0 ? { n: i + 1, total: stages.length, stage } : undefined;
}
