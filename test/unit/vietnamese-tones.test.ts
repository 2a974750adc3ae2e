import { describe, expect, it } from 'vitest';
import { toneAtCaret, withTone, type Tone } from '../../app/ui/kit/vietnamese-tones.ts';

describe('tones typed on the on-screen keyboard', () => {
  // [letters typed, tone tapped, the word as written]
  const cases: [string, Tone, string][] = [
    ['Nguyên', 'nga', 'Nguyễn'],
    ['Thuy', 'sac', 'Thúy'],
    ['Hoa', 'huyen', 'Hòa'],
    ['hoan', 'huyen', 'hoàn'],
    ['Cương', 'huyen', 'Cường'],
    ['nguơi', 'huyen', 'nguời'],
    ['người', 'huyen', 'ngươi'],
    ['tuôi', 'hoi', 'tuổi'],
    ['qua', 'sac', 'quá'],
    ['quy', 'sac', 'quý'],
    ['gi', 'huyen', 'gì'],
    ['gia', 'sac', 'giá'],
    ['cua', 'hoi', 'của'],
    ['khuyu', 'hoi', 'khuỷu'],
    ['Đăng', 'nang', 'Đặng'],
    ['LÊ', 'nang', 'LỆ'],
    ['Trân', 'huyen', 'Trần'],
    ['Lý', 'huyen', 'Lỳ'],
  ];
  it.each(cases)('%s + %s → %s', (typed, tone, written) => {
    expect(withTone(typed, tone)).toBe(written);
    expect(withTone(typed, tone)).toBe(written.normalize('NFC'));
  });

  it('takes a tone off when the same one is tapped again, and leaves a word without a vowel alone', () => {
    expect(withTone('Nguyễn', 'nga')).toBe('Nguyên');
    expect(withTone('Đ', 'sac')).toBe('Đ');
    expect(withTone('', 'sac')).toBe('');
  });

  it('works on the word before the caret, wherever the caret is', () => {
    expect(toneAtCaret('Lê Văn Cuong', 12, 'huyen')).toEqual({ text: 'Lê Văn Cuòng', caret: 12 });
    expect(toneAtCaret('Nguyen Van A', 6, 'nga')).toEqual({ text: 'Nguyẽn Van A', caret: 6 });
    expect(toneAtCaret('Lê Văn ', 7, 'sac')).toEqual({ text: 'Lê Văn ', caret: 7 });
    expect(toneAtCaret('Nguyên', 6, 'nga').text.normalize('NFC')).toBe('Nguyễn');
  });
});
