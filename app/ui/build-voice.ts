// Pre-renders the voice prompts with espeak-ng (Debian) into dist/ui/voice/<lang>/<key>.wav, for
// kiosks whose browser has no Vietnamese speech voice. Without espeak-ng the UI stays silent and
// says so here; it never blocks the build.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { translate, type Language } from './i18n.ts';
import { VOICE_PROMPTS } from './voice.ts';

const out = fileURLToPath(new URL('../../dist/ui/voice/', import.meta.url));
const probe = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.warn('voice prompts: espeak-ng not found, no pre-rendered audio (apt-get install espeak-ng)');
} else {
  let made = 0;
  for (const lang of ['vi', 'en'] as Language[]) {
    mkdirSync(`${out}${lang}`, { recursive: true });
    for (const key of VOICE_PROMPTS) {
      const r = spawnSync('espeak-ng', ['-v', lang, '-s', '140', '-w', `${out}${lang}/${key}.wav`, translate(lang, key)]);
      if (r.status === 0) made += 1;
    }
  }
  console.log(`voice prompts: ${made} files in dist/ui/voice`);
}
