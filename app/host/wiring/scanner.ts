import type { ScannerConfig } from '../../core/config/schema.ts';
import type { DeviceState } from '../../core/device-state.ts';
import type { KioskError } from '../../core/errors.ts';
import { createHidPosScanner } from '../../platform/scanner/hid-pos.ts';

export interface ScannerWiring {
  status(): DeviceState;
  close(): void;
}

/**
 * The profile's scanner. HID-POS scans are delivered here; keyboard-wedge scans are captured in the
 * UI (nothing to open on the host), and `none` has nothing to check.
 */
export function wireScanner(cfg: ScannerConfig, onScan: (text: string) => void, onError: (e: KioskError) => void = () => undefined): ScannerWiring {
  if (cfg.adapter !== 'hid-pos') return { status: () => ({ device: 'scanner', adapter: cfg.adapter, state: 'ok' }), close: () => undefined };
  return createHidPosScanner({
    ...(cfg.vendorId !== undefined ? { vendorId: cfg.vendorId } : {}),
    ...(cfg.productId !== undefined ? { productId: cfg.productId } : {}),
    onScan: (scan) => onScan(scan.text),
    onError,
  });
}
