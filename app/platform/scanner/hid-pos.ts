/**
 * Barcode / QR / MRZ scanner in HID-POS mode (usage page 0x8C) read through node-hid, so the
 * kiosk gets whole scans without keyboard emulation (see kiosk-domain.md §6 for why keyboard mode
 * is a trap). Finds the scanner, assembles its reports (app/core/scanner/hid-pos-report.ts),
 * survives unplug/replug by reopening with backoff, and reports its health as a DeviceState.
 *
 * node-hid is an optional native dependency: it is loaded lazily so the kiosk runs without it.
 */
import { createRequire } from 'node:module';
import { KioskError } from '../../core/errors.ts';
import type { DeviceState } from '../../core/device-state.ts';
import {
  DEFAULT_MAX_SCAN_BYTES,
  HidPosAssembler,
  HONEYWELL_LAYOUT,
  layoutForVendor,
  NEWLAND_LAYOUT,
  type HidPosLayout,
} from '../../core/scanner/hid-pos-report.ts';

/** HID usage page "Bar Code Scanner" (HID Point of Sale Usage Tables). */
export const BAR_CODE_SCANNER_USAGE_PAGE = 0x8c;

/** The parts of node-hid's `Device` listing this adapter reads. */
export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string | undefined;
  readonly usagePage?: number | undefined;
  readonly usage?: number | undefined;
}

/** The parts of node-hid's `HID` class this adapter uses. */
export interface HidDevice {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  close(): void;
}

/** The parts of the node-hid module this adapter uses; injectable for tests. */
export interface HidModule {
  devices(): HidDeviceInfo[];
  HID: { new (path: string): HidDevice; new (vendorId: number, productId: number): HidDevice };
}

export interface Scan {
  readonly text: string;
  /** AIM symbology identifier (`]Q1` = QR code), when the scanner sent one. */
  readonly symbology?: string;
  readonly source: 'hid-pos';
}

export interface HidPosScannerOptions {
  readonly vendorId?: number;
  readonly productId?: number;
  readonly onScan: (scan: Scan) => void;
  /** A scan that had to be discarded (typed, data-free), or a failing onScan handler. */
  readonly onError?: (error: KioskError) => void;
  /** node-hid or a stand-in; `null` behaves as if node-hid is not installed. Default: lazy require. */
  readonly hid?: HidModule | null;
  /** Report layout; default `auto` picks it from the vendor id. */
  readonly layout?: 'auto' | 'honeywell' | 'newland';
  /** Longest scan accepted, in bytes. */
  readonly maxBytes?: number;
  /** Quiet time after which a scan waiting for more reports is ended. */
  readonly idleMs?: number;
  /** Reopen backoff: first delay, doubled up to the maximum. */
  readonly retryMs?: { readonly initial: number; readonly max: number };
}

export interface HidPosScanner {
  status(): DeviceState;
  close(): void;
}

const REASON_NO_SCANNER = 'no HID-POS scanner connected';
const REASON_NO_NODE_HID = 'node-hid not available';
const REASON_PERMISSION = 'cannot open device: permission denied — see native/udev/70-cccd-kiosk.rules';

/** node-hid, or undefined where the native module is absent or fails to load. */
export function loadNodeHid(): HidModule | undefined {
  try {
    return createRequire(import.meta.url)('node-hid') as HidModule;
  } catch {
    return undefined;
  }
}

/**
 * The scanner's HID interface: with a configured vendor (and product) id, its 0x8C interface or
 * else its first; without, the first 0x8C interface. Some scanners expose several interfaces
 * (keyboard + POS); only the 0x8C one carries scanned-data reports.
 */
export function findScanner(devices: readonly HidDeviceInfo[], vendorId?: number, productId?: number): HidDeviceInfo | undefined {
  const isPos = (d: HidDeviceInfo) => d.usagePage === BAR_CODE_SCANNER_USAGE_PAGE;
  if (vendorId === undefined) return devices.find(isPos);
  const mine = devices.filter((d) => d.vendorId === vendorId && (productId === undefined || d.productId === productId));
  return mine.find(isPos) ?? mine[0];
}

function openFailureReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/permission denied|access (is )?denied|EACCES|EPERM/i.test(msg)) return REASON_PERMISSION;
  return `cannot open device: ${msg}`;
}

function pickLayout(choice: HidPosScannerOptions['layout'], vendorId: number): HidPosLayout {
  if (choice === 'honeywell') return HONEYWELL_LAYOUT;
  if (choice === 'newland') return NEWLAND_LAYOUT;
  return layoutForVendor(vendorId);
}

export function createHidPosScanner(options: HidPosScannerOptions): HidPosScanner {
  const hid = options.hid === undefined ? loadNodeHid() : options.hid ?? undefined;
  const idleMs = options.idleMs ?? 150;
  const retry = options.retryMs ?? { initial: 500, max: 5000 };
  const base = { device: 'scanner', adapter: 'hid-pos' } as const;

  let state: DeviceState = hid ? { ...base, state: 'missing', reason: REASON_NO_SCANNER } : { ...base, state: 'missing', reason: REASON_NO_NODE_HID };
  let device: HidDevice | undefined;
  let assembler: HidPosAssembler | undefined;
  let retryDelay = retry.initial;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const report = (e: unknown) => {
    const err = e instanceof KioskError ? e : new KioskError('SCAN_HANDLER_FAILED', 'the scan handler failed');
    try {
      options.onError?.(err);
    } catch {
      // A failing error handler must not take the kiosk down either.
    }
  };

  const deliver = (scan: { text: string; symbology?: string } | undefined) => {
    if (!scan) return;
    try {
      options.onScan({ ...scan, source: 'hid-pos' });
    } catch (e) {
      report(e);
    }
  };

  const clearIdle = () => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
  };

  const onData = (owner: HidDevice, data: Buffer) => {
    if (owner !== device || !assembler) return;
    const a = assembler;
    clearIdle();
    try {
      deliver(a.push(data));
    } catch (e) {
      report(e);
    }
    if (a.pending) {
      idleTimer = setTimeout(() => {
        idleTimer = undefined;
        try {
          deliver(a.idle());
        } catch (e) {
          report(e);
        }
      }, idleMs);
      idleTimer.unref?.();
    }
  };

  const drop = () => {
    clearIdle();
    const d = device;
    device = undefined;
    assembler = undefined;
    try {
      d?.close();
    } catch {
      // Closing an unplugged device may fail; it is gone either way.
    }
  };

  const scheduleRetry = () => {
    if (closed || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      tryOpen();
    }, retryDelay);
    retryTimer.unref?.();
    retryDelay = Math.min(retryDelay * 2, retry.max);
  };

  const tryOpen = () => {
    if (closed || !hid) return;
    let info: HidDeviceInfo | undefined;
    try {
      info = findScanner(hid.devices(), options.vendorId, options.productId);
    } catch (e) {
      state = { ...base, state: 'error', reason: `cannot list HID devices: ${e instanceof Error ? e.message : String(e)}` };
      scheduleRetry();
      return;
    }
    if (!info) {
      state = { ...base, state: 'missing', reason: REASON_NO_SCANNER };
      scheduleRetry();
      return;
    }
    let opened: HidDevice;
    try {
      opened = info.path ? new hid.HID(info.path) : new hid.HID(info.vendorId, info.productId);
    } catch (e) {
      state = { ...base, state: 'error', reason: openFailureReason(e) };
      scheduleRetry();
      return;
    }
    device = opened;
    assembler = new HidPosAssembler(pickLayout(options.layout, info.vendorId), options.maxBytes ?? DEFAULT_MAX_SCAN_BYTES);
    opened.on('data', (data) => onData(opened, data));
    // node-hid reports an unplugged device as a read error and stops reading: reopen later.
    opened.on('error', () => {
      if (opened !== device) return;
      drop();
      state = { ...base, state: 'missing', reason: REASON_NO_SCANNER };
      retryDelay = retry.initial;
      scheduleRetry();
    });
    state = { ...base, state: 'ok' };
    retryDelay = retry.initial;
  };

  tryOpen();

  return {
    status: () => state,
    close: () => {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      drop();
      state = { ...base, state: 'missing', reason: 'scanner adapter closed' };
    },
  };
}
