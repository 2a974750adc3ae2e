import { describe, expect, it } from 'vitest';
import { WedgeCapture } from '../../app/ui/wedge.ts';

function type(capture: WedgeCapture, text: string, gapMs: number, start = 1000): number {
  let at = start;
  for (const ch of text) capture.key(ch, (at += gapMs));
  capture.key('Enter', (at += gapMs));
  return at;
}

describe('keyboard-wedge scanner capture', () => {
  const qr = '001092012345|123456789|Nguyễn Văn An|17031992|Nam|Hà Nội|15042021';

  it('captures a fast burst ending in Enter, diacritics included', () => {
    const scans: string[] = [];
    type(new WedgeCapture((t) => scans.push(t)), qr, 8);
    expect(scans).toEqual([qr]);
  });

  it('leaves a person typing alone', () => {
    const scans: string[] = [];
    type(new WedgeCapture((t) => scans.push(t)), '001092012345', 180);
    expect(scans).toEqual([]);
  });

  it('ignores short bursts and starts afresh after a pause', () => {
    const scans: string[] = [];
    const c = new WedgeCapture((t) => scans.push(t));
    const end = type(c, 'abc', 5);
    type(c, qr, 5, end + 1000);
    expect(scans).toEqual([qr]);
  });
});
