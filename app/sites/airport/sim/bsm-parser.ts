/**
 * The baggage system's side of a BSM (RP 1745): reads the teletype text back into the bags it
 * routes. Written apart from the kiosk's encoder (../common/bsm.ts), from the element layouts in
 * docs/airport-integration.md, so a test that encodes and parses checks one against the other.
 * Unknown elements (.S, .E, .I, …) are kept as they come; anything malformed is a BSM_INVALID.
 */
import { AirportError } from '../common/ports.ts';

export interface ParsedFlight {
  readonly flight: string;
  /** `15MAR` as written. */
  readonly date: string;
  readonly destination: string;
  readonly compartment?: string;
}

export interface ParsedBsm {
  readonly status: 'NEW' | 'CHG' | 'DEL';
  readonly version: number;
  readonly sourceIndicator: string;
  readonly airport: string;
  readonly outbound: ParsedFlight;
  readonly onward: readonly ParsedFlight[];
  /** Every plate, runs expanded. */
  readonly licencePlates: readonly string[];
  readonly pieces?: number;
  readonly weightKg?: number;
  readonly passengerNames: readonly string[];
  readonly locator?: string;
  readonly other: readonly string[];
}

const bad = (why: string) => new AirportError('BSM_INVALID', `not a BSM: ${why}`);

function flightOf(body: string, element: string): ParsedFlight {
  const m = /^([A-Z0-9]{2}[A-Z]?\d{3,4}[A-Z]?)\/(\d{2}(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))\/([A-Z]{3})(?:\/([A-Z]))?$/.exec(body);
  if (!m) throw bad(`${element} element "${body.slice(0, 30)}"`);
  return { flight: m[1]!, date: m[2]!, destination: m[3]!, ...(m[4] ? { compartment: m[4] } : {}) };
}

export function parseBsm(text: string): ParsedBsm {
  const lines = text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l !== '');
  if (lines[0] !== 'BSM') throw bad('it does not start with BSM');
  if (lines.at(-1) !== 'ENDBSM') throw bad('it does not end with ENDBSM');
  let i = 1;
  const status = lines[i] === 'CHG' || lines[i] === 'DEL' ? (lines[i++] as 'CHG' | 'DEL') : 'NEW';
  let version: ParsedBsm['version'] | undefined, sourceIndicator = '', airport = '';
  let outbound: ParsedFlight | undefined, pieces: number | undefined, weightKg: number | undefined, locator: string | undefined;
  const onward: ParsedFlight[] = [], plates: string[] = [], passengerNames: string[] = [], other: string[] = [];
  for (const line of lines.slice(i, -1)) {
    const m = /^\.([A-Z])\/(.*)$/.exec(line);
    if (!m) throw bad(`line "${line.slice(0, 30)}"`);
    const [, element, body] = m as unknown as [string, string, string];
    switch (element) {
      case 'V': {
        const v = /^(\d)([LTXR])([A-Z]{3})/.exec(body);
        if (!v) throw bad('.V element');
        [version, sourceIndicator, airport] = [Number(v[1]), v[2]!, v[3]!];
        break;
      }
      case 'F':
        if (outbound) throw bad('two .F elements');
        outbound = flightOf(body, '.F');
        break;
      case 'O':
        onward.push(flightOf(body, '.O'));
        break;
      case 'N': {
        const n = /^(\d{10})(\d{3})$/.exec(body);
        if (!n || Number(n[2]) < 1) throw bad('.N element');
        const first = Number(n[1]);
        for (let k = 0; k < Number(n[2]); k++) plates.push(String(first + k).padStart(10, '0'));
        break;
      }
      case 'W': {
        const w = /^K\/(\d{1,3})\/(\d{1,4})$/.exec(body);
        if (!w) throw bad('.W element (kilos expected)');
        [pieces, weightKg] = [Number(w[1]), Number(w[2])];
        break;
      }
      case 'P': {
        const p = /^(\d{1,2})([A-Z]+(?:\/[A-Z]*)+)$/.exec(body);
        if (!p) throw bad('.P element');
        passengerNames.push(p[2]!);
        break;
      }
      case 'L':
        if (!/^[A-Z0-9]{6}$/.test(body)) throw bad('.L element');
        locator = body;
        break;
      default:
        other.push(line);
    }
  }
  if (version === undefined) throw bad('no .V element');
  if (!outbound) throw bad('no .F element');
  if (plates.length === 0) throw bad('no .N element');
  return {
    status, version, sourceIndicator, airport, outbound, onward, licencePlates: plates, passengerNames, other,
    ...(pieces === undefined ? {} : { pieces }), ...(weightKg === undefined ? {} : { weightKg }), ...(locator ? { locator } : {}),
  };
}
