import { useEffect } from 'preact/hooks';
import type { JourneyView } from '../core/journey/view.ts';
import { texts, translate, type Language, type TextKey } from './i18n.ts';

/**
 * The prompt spoken when a step appears; the same keys are pre-rendered to audio at build time. A
 * site's own steps speak its text `voice_<siteStep>_<kind>`, when the site words one.
 */
export function promptFor(view: JourneyView, siteKind = ''): TextKey | undefined {
  const s = view.state;
  switch (s.step) {
    case 'site': {
      const key = `voice_${view.site?.siteStep ?? ''}_${siteKind}`;
      return key in texts.vi ? (key as TextKey) : undefined;
    }
    case 'consent': return 'consentTitle';
    case 'present-card': return s.keyGiven ? 'placeCardTitle' : 'presentTitle';
    case 'reading': return 'readingHold';
    case 'face': return 'faceTitle';
    case 'face-identify': return 'faceIdentifyTitle';
    case 'verifying': return 'verifyingTitle';
    case 'printing': return 'printingTitle';
    case 'done': return 'donePrinted';
    case 'failed': return 'failedTitle';
    default: return undefined;
  }
}

export const VOICE_PROMPTS: readonly TextKey[] = [
  'consentTitle', 'presentTitle', 'placeCardTitle', 'readingHold', 'faceTitle', 'faceIdentifyTitle', 'verifyingTitle', 'printingTitle', 'donePrinted', 'failedTitle',
  'idWrongSpoken', 'declinedCounter',
  // Each site's own wording of it and its own steps' prompts, whichever sites this build has.
  ...(Object.keys(texts.vi) as TextKey[]).filter((k) => k.startsWith('declinedCounter_') || k.startsWith('voice_')),
];

/** Says `text` (default: the key's text) with a system voice; without one, plays the key's pre-rendered prompt. */
export function speak(lang: Language, key: TextKey, text = translate(lang, key)): void {
  const synth = window.speechSynthesis;
  const voice = synth?.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang));
  if (synth && voice) {
    synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.rate = 0.9; // a little slower: many patients are elderly
    synth.speak(u);
    return;
  }
  // No system voice for this language: play the prompt rendered at build time (espeak-ng).
  const audio = new Audio(`voice/${lang}/${key}.wav`);
  void audio.play().catch(() => undefined);
}

/** Speaks each new step's prompt once, in the person's language. */
export function useVoice(enabled: boolean, lang: Language, view: JourneyView | undefined, siteKind = ''): void {
  const key = view ? promptFor(view, siteKind) : undefined;
  useEffect(() => {
    if (enabled && key) speak(lang, key);
  }, [enabled, key, lang]);
}
