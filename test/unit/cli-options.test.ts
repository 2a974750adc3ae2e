import { describe, expect, it } from 'vitest';
import { UsageError } from '../../app/cli/command.ts';
import { main } from '../../app/cli/main.ts';
import { choiceOption, numberOption, portOption } from '../../app/cli/options.ts';

describe('command options', () => {
  it('numbers: whole within range, fractions only when allowed, the flag and the bad value named', () => {
    expect(numberOption(undefined, '--n', { max: 5 })).toBeUndefined();
    expect(numberOption('5', '--n', { max: 5 })).toBe(5);
    expect(numberOption('0.5', '--rate', { min: 0.1, max: 2, fraction: true })).toBe(0.5);
    for (const bad of ['6', '-1', '1.5', '', ' ', 'abc', 'NaN', 'Infinity', '0x10z']) {
      expect(() => numberOption(bad, '--n', { max: 5 }), bad).toThrow(UsageError);
    }
    expect(() => numberOption('7', '--n', { max: 5 })).toThrow('--n must be a whole number from 0 to 5, not "7"');
    expect(portOption('8443')).toBe(8443);
    expect(() => portOption('65536')).toThrow('--port must be a whole number from 0 to 65535');
  });

  it('choices name every allowed word', () => {
    expect(choiceOption('en', '--lang', ['vi', 'en'])).toBe('en');
    expect(() => choiceOption('fr', '--lang', ['vi', 'en'])).toThrow('--lang must be vi or en, not "fr"');
    expect(() => choiceOption('x', '--shell', ['electron', 'chromium', 'none'])).toThrow('--shell must be electron, chromium or none');
  });

  it('an unknown option is a usage mistake for every command: exit 64 with the usage', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      expect(await main(['print-test', '--no-such-option'])).toBe(64);
      expect(await main(['start', '--port', 'eighty'])).toBe(64);
    } finally {
      console.error = original;
    }
    expect(errors[0]).toMatch(/^cccd-kiosk print-test: Unknown option '--no-such-option'[\s\S]*Usage/);
    expect(errors[1]).toMatch(/^cccd-kiosk start: --port must be a whole number from 0 to 65535, not "eighty"/);
  });
});
