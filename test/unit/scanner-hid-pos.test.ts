import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, ParseError } from '../../app/core/errors.ts';
import {
  HidPosAssembler,
  HONEYWELL_LAYOUT,
  layoutForVendor,
  NEWLAND_LAYOUT,
  ScanReportError,
} from '../../app/core/scanner/hid-pos-report.ts';
import {
  createHidPosScanner,
  findScanner,
  loadNodeHid,
  type HidDeviceInfo,
  type HidModule,
  type Scan,
} from '../../app/platform/scanner/hid-pos.ts';

// ------------------------------------------------------------------ synthetic reports

const enc = (s: string) => Buffer.from(s, 'utf8');

/** One Honeywell-layout report as node-hid delivers it: 64 bytes, report ID first. */
function honeywellReport(data: Uint8Array, opts: { aim?: string; more?: boolean; length?: number; codeId?: number } = {}): Buffer {
  const r = Buffer.alloc(64);
  r[0] = 0x02;
  r[1] = opts.length ?? data.length;
  if (opts.aim) Buffer.from(opts.aim, 'latin1').copy(r, 2);
  Buffer.from(data).copy(r, 5);
  r[61] = opts.codeId ?? 0x73;
  r[63] = opts.more ? 1 : 0;
  return r;
}

/** A whole scan split into Honeywell reports of at most 56 data bytes. */
function honeywellScan(text: string | Uint8Array, aim?: string): Buffer[] {
  const bytes = typeof text === 'string' ? enc(text) : text;
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 56) {
    const chunk = bytes.subarray(at, at + 56);
    out.push(honeywellReport(chunk, { ...(aim ? { aim } : {}), more: at + 56 < bytes.length }));
  }
  return out;
}

/** One Newland-layout report: ID, length, 56 data bytes, 4 reserved, Newland symbology id. */
function newlandReport(data: Uint8Array, symbologyId = 0x51): Buffer {
  const r = Buffer.alloc(63);
  r[0] = 0x02;
  r[1] = data.length;
  Buffer.from(data).copy(r, 2);
  r[62] = symbologyId;
  return r;
}

function newlandScan(text: string): Buffer[] {
  const bytes = enc(text);
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 56) out.push(newlandReport(bytes.subarray(at, at + 56)));
  return out;
}

function pushAll(a: HidPosAssembler, reports: Buffer[]) {
  return reports.map((r) => a.push(r));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScanReportError);
    expect(e).toBeInstanceOf(ParseError);
    return (e as ScanReportError).code;
  }
  throw new Error('expected a ScanReportError');
}

// A CCCD front QR in the published 7-field shape, synthetic persona with Vietnamese diacritics.
const CCCD_QR = '001090123456|123456789|Nguyễn Thị Thuỷ Tiên|01021990|Nữ|Số 1 Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội|15082021';
const TD1_MRZ = 'IDVNM0901234568001090123456<<<\n9001011F3001019VNM<<<<<<<<<<<2\nNGUYEN<<THI<THUY<TIEN<<<<<<<<<';

// ------------------------------------------------------------------ decoder

describe('HID-POS report assembler (Honeywell layout)', () => {
  it('decodes a single report with its AIM identifier', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    expect(a.push(honeywellReport(enc('8934567890128'), { aim: ']E0' }))).toEqual({ text: '8934567890128', symbology: ']E0' });
    expect(a.pending).toBe(false);
  });

  it('assembles a multi-report CCCD QR and keeps Vietnamese diacritics', () => {
    const reports = honeywellScan(CCCD_QR, ']Q1');
    expect(reports.length).toBeGreaterThanOrEqual(3);
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    const results = pushAll(a, reports);
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(results.at(-1)).toEqual({ text: CCCD_QR, symbology: ']Q1' });
  });

  it('decodes a UTF-8 character split across two reports', () => {
    const text = `${'a'.repeat(55)}ễ tail`;
    const bytes = enc(text);
    // 'ễ' is 3 bytes starting at byte 55: the first report ends in the middle of it.
    expect(bytes[55]! >= 0xc0 && bytes[56]! >= 0x80 && bytes[56]! < 0xc0).toBe(true);
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    expect(pushAll(a, honeywellScan(bytes, ']Q1')).at(-1)).toEqual({ text, symbology: ']Q1' });
  });

  it('reports no symbology when the scanner sends no AIM identifier', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    const scan = a.push(honeywellReport(enc('HELLO-123')));
    expect(scan).toEqual({ text: 'HELLO-123' });
    expect(scan && 'symbology' in scan).toBe(false);
  });

  it('keeps MRZ line breaks but strips the configured CR/LF suffix', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    expect(pushAll(a, honeywellScan(`${TD1_MRZ}\r\n`, ']X0')).at(-1)).toEqual({ text: TD1_MRZ, symbology: ']X0' });
  });

  it('ignores reports with another report ID and stays ready', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    const other = honeywellReport(enc('status'));
    other[0] = 0x03;
    expect(a.push(other)).toBeUndefined();
    expect(a.pending).toBe(false);
    expect(a.push(honeywellReport(enc('OK'), { aim: ']C0' }))).toEqual({ text: 'OK', symbology: ']C0' });
  });

  it('rejects a length byte larger than a report can carry', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    expect(codeOf(() => a.push(honeywellReport(enc('x'), { length: 57 })))).toBe('SCAN_REPORT_BAD_LENGTH');
  });

  it('rejects a report shorter than its own length byte', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    expect(codeOf(() => a.push(Buffer.from([0x02, 20, 0x5d, 0x51, 0x31, 0x41])))).toBe('SCAN_REPORT_TRUNCATED');
  });

  it('rejects bytes that are not UTF-8 and recovers for the next scan', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    expect(codeOf(() => a.push(honeywellReport(Uint8Array.from([0x41, 0xc3, 0x28]))))).toBe('SCAN_NOT_UTF8');
    expect(a.push(honeywellReport(enc('next')))).toEqual({ text: 'next' });
  });

  it('rejects an empty scan', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    expect(codeOf(() => a.push(honeywellReport(enc('\r'))))).toBe('SCAN_EMPTY');
  });

  it('bounds the total length, drops the rest of that scan, then reads the next one', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT, 100);
    const long = honeywellScan('9'.repeat(200), ']Q1'); // 4 reports
    expect(a.push(long[0]!)).toBeUndefined();
    expect(codeOf(() => a.push(long[1]!))).toBe('SCAN_TOO_LONG');
    expect(a.push(long[2]!)).toBeUndefined(); // still the oversized scan: not a new one
    expect(a.push(long[3]!)).toBeUndefined();
    expect(a.pending).toBe(false);
    expect(a.push(honeywellReport(enc('short'), { aim: ']Q1' }))).toEqual({ text: 'short', symbology: ']Q1' });
  });

  it('an announced continuation that never comes is an incomplete scan, not a short one', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT);
    const reports = honeywellScan(CCCD_QR, ']Q1');
    a.push(reports[0]!);
    expect(a.pending).toBe(true);
    expect(codeOf(() => a.idle())).toBe('SCAN_INCOMPLETE');
    expect(a.pending).toBe(false);
    expect(a.idle()).toBeUndefined();
  });

  it('error messages and details carry counts, never the scanned text', () => {
    const a = new HidPosAssembler(HONEYWELL_LAYOUT, 60);
    try {
      pushAll(a, honeywellScan(CCCD_QR, ']Q1'));
      throw new Error('expected SCAN_TOO_LONG');
    } catch (e) {
      const err = e as ScanReportError;
      expect(err.code).toBe('SCAN_TOO_LONG');
      const said = err.message + JSON.stringify(err.details);
      expect(said).not.toMatch(/001090123456|Nguyễn/);
    }
  });
});

describe('HID-POS report assembler (Newland layout)', () => {
  it('decodes a single report (no AIM field, no continuation flag)', () => {
    const a = new HidPosAssembler(NEWLAND_LAYOUT);
    expect(a.push(newlandReport(enc('001090123456')))).toEqual({ text: '001090123456' });
  });

  it('a full report is continued; a shorter one ends the scan', () => {
    const a = new HidPosAssembler(NEWLAND_LAYOUT);
    const results = pushAll(a, newlandScan(CCCD_QR));
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(results.at(-1)).toEqual({ text: CCCD_QR });
  });

  it('a scan that exactly fills its last report ends at the idle gap', () => {
    const text = `${'b'.repeat(55)}ễ${'c'.repeat(54)}`; // 112 bytes = two full reports
    expect(enc(text).length).toBe(112);
    const a = new HidPosAssembler(NEWLAND_LAYOUT);
    expect(pushAll(a, newlandScan(text))).toEqual([undefined, undefined]);
    expect(a.pending).toBe(true);
    expect(a.idle()).toEqual({ text });
  });

  it('picks the layout from the vendor id', () => {
    expect(layoutForVendor(0x1eab)).toBe(NEWLAND_LAYOUT);
    expect(layoutForVendor(0x0c2e)).toBe(HONEYWELL_LAYOUT);
    expect(layoutForVendor(0x05e0)).toBe(HONEYWELL_LAYOUT);
  });
});

describe('HID-POS report assembler on arbitrary input', () => {
  // Real reports with random bytes overwritten, plus pure noise: any sequence either yields scans
  // within the bound or throws a typed ScanReportError, never anything else.
  const report = fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 70 }),
    fc.tuple(fc.constantFrom(...honeywellScan(CCCD_QR, ']Q1'), ...newlandScan(CCCD_QR)), fc.array(fc.tuple(fc.nat(63), fc.nat(255)), { maxLength: 4 }))
      .map(([r, edits]) => {
        const copy = Buffer.from(r);
        for (const [at, v] of edits) copy[at] = v;
        return copy as Uint8Array;
      }),
  );
  for (const layout of [HONEYWELL_LAYOUT, NEWLAND_LAYOUT]) {
    it(`${layout.name}: only scans or ScanReportError, scans within the bound`, () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(report, fc.constant('idle' as const)), { maxLength: 12 }), (steps) => {
          const a = new HidPosAssembler(layout, 150);
          for (const step of steps) {
            try {
              const scan = step === 'idle' ? a.idle() : a.push(step);
              if (scan) expect(Buffer.byteLength(scan.text)).toBeLessThanOrEqual(150);
            } catch (e) {
              if (!(e instanceof ScanReportError) || !(e instanceof KioskError)) throw e;
            }
          }
        }),
        { numRuns: 1500 },
      );
    });
  }
});

// ------------------------------------------------------------------ adapter with a fake node-hid

class FakeDevice extends EventEmitter {
  closed = false;
  constructor(readonly opened: string | number) {
    super();
  }
  close(): void {
    this.closed = true;
  }
}

function fakeHid(initial: HidDeviceInfo[], openError?: () => Error) {
  const listing = [...initial];
  const opened: FakeDevice[] = [];
  class HID extends FakeDevice {
    constructor(pathOrVid: string | number) {
      super(pathOrVid);
      if (openError) throw openError();
      opened.push(this);
    }
  }
  const module = { devices: () => [...listing], HID } as unknown as HidModule;
  return { module, listing, opened };
}

const HONEYWELL_POS: HidDeviceInfo = { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw4', usagePage: 0x8c, usage: 2 };
const HONEYWELL_KBD: HidDeviceInfo = { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw3', usagePage: 0x01, usage: 6 };
const OTHER_KBD: HidDeviceInfo = { vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw0', usagePage: 0x01, usage: 6 };

describe('findScanner', () => {
  it('takes the first usage-page 0x8C interface when no ids are configured', () => {
    expect(findScanner([OTHER_KBD, HONEYWELL_KBD, HONEYWELL_POS])).toBe(HONEYWELL_POS);
    expect(findScanner([OTHER_KBD, HONEYWELL_KBD])).toBeUndefined();
  });

  it('with configured ids prefers that device’s 0x8C interface, else its first', () => {
    expect(findScanner([HONEYWELL_KBD, HONEYWELL_POS], 0x0c2e, 0x0b87)).toBe(HONEYWELL_POS);
    const noUsage = { vendorId: 0x1eab, productId: 0x1d10, path: '/dev/hidraw9' };
    expect(findScanner([OTHER_KBD, noUsage], 0x1eab)).toBe(noUsage);
    expect(findScanner([HONEYWELL_POS], 0x0c2e, 0x9999)).toBeUndefined();
  });
});

describe('createHidPosScanner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens the 0x8C interface and delivers whole scans', () => {
    const { module, opened } = fakeHid([OTHER_KBD, HONEYWELL_KBD, HONEYWELL_POS]);
    const scans: Scan[] = [];
    const scanner = createHidPosScanner({ hid: module, onScan: (s) => scans.push(s) });
    expect(scanner.status()).toEqual({ device: 'scanner', adapter: 'hid-pos', state: 'ok' });
    expect(opened.map((d) => d.opened)).toEqual(['/dev/hidraw4']);
    for (const r of honeywellScan(CCCD_QR, ']Q1')) opened[0]!.emit('data', r);
    expect(scans).toEqual([{ text: CCCD_QR, symbology: ']Q1', source: 'hid-pos' }]);
    scanner.close();
    expect(opened[0]!.closed).toBe(true);
    expect(scanner.status()).toMatchObject({ state: 'missing', reason: 'scanner adapter closed' });
    opened[0]!.emit('data', honeywellReport(enc('after close')));
    expect(scans).toHaveLength(1);
  });

  it('unplug → missing → replug → scans again, with backoff and without crashing', () => {
    const { module, listing, opened } = fakeHid([HONEYWELL_POS]);
    const scans: string[] = [];
    const scanner = createHidPosScanner({ hid: module, onScan: (s) => scans.push(s.text), retryMs: { initial: 100, max: 400 } });
    opened[0]!.emit('data', honeywellReport(enc('first'), { aim: ']Q1' }));

    listing.length = 0; // unplugged: node-hid's read fails
    opened[0]!.emit('error', new Error('could not read from HID device'));
    expect(opened[0]!.closed).toBe(true);
    expect(scanner.status()).toMatchObject({ state: 'missing', reason: 'no HID-POS scanner connected' });
    opened[0]!.emit('data', honeywellReport(enc('stale'))); // late data from the dead handle is ignored

    vi.advanceTimersByTime(100 + 200 + 400 + 400); // several retries while nothing is plugged in
    expect(opened).toHaveLength(1);
    expect(scanner.status().state).toBe('missing');

    listing.push(HONEYWELL_POS); // replugged
    vi.advanceTimersByTime(400);
    expect(opened).toHaveLength(2);
    expect(scanner.status()).toMatchObject({ state: 'ok' });
    opened[1]!.emit('data', honeywellReport(enc('second'), { aim: ']Q1' }));
    expect(scans).toEqual(['first', 'second']);

    scanner.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('finds a scanner plugged in after start', () => {
    const { module, listing, opened } = fakeHid([]);
    const scanner = createHidPosScanner({ hid: module, onScan: () => {}, retryMs: { initial: 50, max: 50 } });
    expect(scanner.status()).toEqual({ device: 'scanner', adapter: 'hid-pos', state: 'missing', reason: 'no HID-POS scanner connected' });
    listing.push(HONEYWELL_POS);
    vi.advanceTimersByTime(50);
    expect(opened).toHaveLength(1);
    expect(scanner.status().state).toBe('ok');
    scanner.close();
  });

  it('explains a permission failure and points at the udev rules', () => {
    const { module } = fakeHid([HONEYWELL_POS], () =>
      new Error("cannot open device with path /dev/hidraw4: Failed to open a device with path '/dev/hidraw4': Permission denied"),
    );
    const scanner = createHidPosScanner({ hid: module, onScan: () => {} });
    expect(scanner.status()).toEqual({
      device: 'scanner',
      adapter: 'hid-pos',
      state: 'error',
      reason: 'cannot open device: permission denied — see native/udev/70-cccd-kiosk.rules',
    });
    scanner.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs without node-hid', () => {
    const scanner = createHidPosScanner({ hid: null, onScan: () => {} });
    expect(scanner.status()).toEqual({ device: 'scanner', adapter: 'hid-pos', state: 'missing', reason: 'node-hid not available' });
    expect(vi.getTimerCount()).toBe(0);
    scanner.close();
  });

  it('uses the Newland layout for Newland scanners and ends a full last report after the idle gap', () => {
    const newland: HidDeviceInfo = { vendorId: 0x1eab, productId: 0x1d10, path: '/dev/hidraw7', usagePage: 0x8c, usage: 2 };
    const { module, opened } = fakeHid([newland]);
    const scans: Scan[] = [];
    const scanner = createHidPosScanner({ hid: module, onScan: (s) => scans.push(s), idleMs: 30 });
    const text = 'x'.repeat(56);
    opened[0]!.emit('data', newlandReport(enc(text)));
    expect(scans).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(scans).toEqual([{ text, source: 'hid-pos' }]);
    scanner.close();
  });

  it('reports a discarded scan and a throwing handler as typed errors, and keeps reading', () => {
    const { module, opened } = fakeHid([HONEYWELL_POS]);
    const errors: string[] = [];
    let calls = 0;
    const scanner = createHidPosScanner({
      hid: module,
      idleMs: 30,
      onScan: () => {
        calls++;
        throw new Error('handler bug');
      },
      onError: (e) => errors.push(e.code),
    });
    const dev = opened[0]!;
    dev.emit('data', honeywellReport(enc('x'), { length: 99 }));
    dev.emit('data', honeywellScan(CCCD_QR, ']Q1')[0]!); // more announced, never sent
    vi.advanceTimersByTime(30);
    dev.emit('data', honeywellReport(enc('ok')));
    expect(errors).toEqual(['SCAN_REPORT_BAD_LENGTH', 'SCAN_INCOMPLETE', 'SCAN_HANDLER_FAILED']);
    expect(calls).toBe(1);
    expect(scanner.status().state).toBe('ok');
    scanner.close();
  });
});

describe('real node-hid (lazy load, no hardware needed)', () => {
  it('loads node-hid lazily and reports honestly what it finds', () => {
    const hid = loadNodeHid();
    if (!hid) {
      console.log('skipped: node-hid native module is not loadable on this machine');
      return;
    }
    const present = findScanner(hid.devices());
    const scanner = createHidPosScanner({ onScan: () => {} });
    try {
      if (present) expect(scanner.status().state).not.toBe('missing');
      else expect(scanner.status()).toEqual({ device: 'scanner', adapter: 'hid-pos', state: 'missing', reason: 'no HID-POS scanner connected' });
    } finally {
      scanner.close();
    }
  });
});
