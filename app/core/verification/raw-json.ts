import { ParseError } from '../errors.ts';

/**
 * Finds the exact text of the member at `path` in a JSON document, so a signature can be checked
 * over the bytes the service signed rather than over a re-serialisation (key order, escapes and
 * spacing would otherwise change the bytes). Members along the path must be unique: with duplicate
 * keys a verifier and a JSON parser could disagree on which one counts.
 */
export function rawMember(text: string, path: readonly string[]): string {
  const scanner = new Scanner(text);
  scanner.ws();
  const span = scanner.find(path, 0);
  scanner.ws();
  if (!scanner.atEnd()) throw scanner.fail('trailing characters after the JSON value');
  if (!span) throw new ParseError('JSON_MEMBER_MISSING', `JSON member ${path.join('.')} not found`, { path: path.join('.') });
  return text.slice(span[0], span[1]);
}

/**
 * JSON.parse with the typed error the gateway decoders promise (a SyntaxError is not one). The
 * parser's own message quotes the input, so it is not passed on.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ParseError('JSON_MALFORMED', 'malformed JSON');
  }
}

/** Decodes bytes as strict UTF-8 (invalid sequences are an error, not U+FFFD). */
export function strictUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ParseError('JSON_NOT_UTF8', 'response body is not valid UTF-8');
  }
}

class Scanner {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  fail(why: string): ParseError {
    return new ParseError('JSON_MALFORMED', `malformed JSON at offset ${this.i}: ${why}`, { offset: this.i });
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i]!)) this.i++;
  }

  /** Scans one value; when `path` has components left and the value is an object, returns the span found inside. */
  find(path: readonly string[], depth: number): [number, number] | undefined {
    const start = this.i;
    const c = this.s[this.i];
    if (c !== '{') {
      this.value();
      return depth === path.length ? [start, this.i] : undefined;
    }
    if (depth === path.length) {
      this.value();
      return [start, this.i];
    }
    this.i++;
    let found: [number, number] | undefined;
    let seen = false;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return undefined;
    }
    for (;;) {
      this.ws();
      const key = this.string();
      this.ws();
      this.expect(':');
      this.ws();
      if (key === path[depth]) {
        if (seen) throw new ParseError('JSON_DUPLICATE_MEMBER', `JSON member ${path.slice(0, depth + 1).join('.')} appears twice`);
        seen = true;
        found = this.find(path, depth + 1);
      } else {
        this.value();
      }
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect('}');
      return found;
    }
  }

  private expect(ch: string): void {
    if (this.s[this.i] !== ch) throw this.fail(`expected '${ch}'`);
    this.i++;
  }

  private string(): string {
    const start = this.i;
    this.expect('"');
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        try {
          return JSON.parse(this.s.slice(start, this.i)) as string;
        } catch {
          throw this.fail('invalid escape in string');
        }
      } else if (c < ' ') throw this.fail('control character in string');
      else this.i++;
    }
    throw this.fail('unterminated string');
  }

  private value(): void {
    const c = this.s[this.i];
    if (c === '"') return void this.string();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.i++;
      this.ws();
      if (this.s[this.i] === close) return void this.i++;
      for (;;) {
        this.ws();
        if (close === '}') {
          this.string();
          this.ws();
          this.expect(':');
          this.ws();
        }
        this.value();
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          continue;
        }
        return this.expect(close);
      }
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) throw this.fail('expected a value');
    this.i += m[0].length;
  }
}
