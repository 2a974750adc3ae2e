/**
 * The audible cue of a new alarm on the staff screen: three falling two-tone beeps, made by the
 * Web Audio API (no sound file to ship). The guard has touched the screen to log in, so the
 * browser lets the page make a sound.
 */
let audio: AudioContext | undefined;

/** Plays the cue; false when this browser cannot make a sound. */
export function alarmCue(): boolean {
  try {
    audio ??= new AudioContext();
    void audio.resume();
    const start = audio.currentTime + 0.05;
    for (let i = 0; i < 3; i++) {
      for (const [offset, hz] of [[0, 880], [0.18, 660]] as const) {
        const at = start + i * 0.5 + offset;
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.type = 'square';
        tone.frequency.value = hz;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
        tone.connect(gain).connect(audio.destination);
        tone.start(at);
        tone.stop(at + 0.17);
      }
    }
    return true;
  } catch {
    return false;
  }
}
