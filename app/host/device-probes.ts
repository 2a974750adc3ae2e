import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import type { DeviceState, Monitored } from '../core/device-state.ts';
import type { KioskConfig } from '../core/config/schema.ts';
import { createHidPosScanner } from '../platform/scanner/hid-pos.ts';

/**
 * Health probes for devices whose adapters the host does not (yet) hold open. Each answers the
 * question an IT person asks first — is it there, and if not, why — without touching personal data.
 */

const require = createRequire(import.meta.url);

export function probePcsc(readerPattern?: string, waitMs = 1500): Promise<DeviceState> {
  const base = { device: 'cardReader', adapter: 'pcsc' } as const;
  let pcsclite: (() => import('node:events').EventEmitter & { close(): void }) | undefined;
  try {
    pcsclite = require('pcsclite');
  } catch {
    return Promise.resolve({ ...base, state: 'missing', reason: 'PC/SC library not installed (install libpcsclite and pcscd, then npm rebuild pcsclite)' });
  }
  return new Promise((resolve) => {
    let pcsc: ReturnType<NonNullable<typeof pcsclite>>;
    try {
      pcsc = pcsclite!();
    } catch {
      resolve({ ...base, state: 'missing', reason: 'pcscd is not running (start it: systemctl start pcscd)' });
      return;
    }
    const names: string[] = [];
    const finish = (state: DeviceState) => {
      clearTimeout(timer);
      pcsc.removeAllListeners();
      pcsc.on('error', () => undefined);
      try { pcsc.close(); } catch { /* already closed */ }
      resolve(state);
    };
    const timer = setTimeout(() => {
      const pattern = readerPattern?.toLowerCase();
      const match = names.find((n) => !pattern || n.toLowerCase().includes(pattern));
      if (match) finish({ ...base, state: 'ok' });
      else if (names.length === 0) finish({ ...base, state: 'missing', reason: 'no card reader connected' });
      else finish({ ...base, state: 'missing', reason: `no reader matches "${readerPattern}" (found ${names.length} other reader(s))` });
    }, waitMs);
    pcsc.on('reader', (reader: { name: string; close(): void }) => {
      names.push(reader.name);
      reader.close();
    });
    pcsc.on('error', (e: Error) => finish({ ...base, state: 'error', reason: `PC/SC error: ${e.message}` }));
  });
}

export function probePrinterUri(uri: string, resolvePath: (p: string) => string): Promise<DeviceState> {
  const base = { device: 'printer' } as const;
  if (uri.startsWith('file:')) {
    const dir = dirname(resolvePath(uri.slice('file:'.length)));
    try {
      accessSync(existsSync(dir) ? dir : dirname(dir), constants.W_OK);
      return Promise.resolve({ ...base, adapter: 'file', state: 'ok' });
    } catch {
      return Promise.resolve({ ...base, adapter: 'file', state: 'error', reason: `cannot write to ${dir}` });
    }
  }
  if (uri.startsWith('tcp://')) {
    const url = new URL(uri);
    return new Promise((resolve) => {
      const socket = connect({ host: url.hostname, port: Number(url.port || 9100), timeout: 1000 });
      const done = (state: DeviceState) => { socket.destroy(); resolve(state); };
      socket.on('connect', () => done({ ...base, adapter: 'tcp', state: 'ok' }));
      socket.on('timeout', () => done({ ...base, adapter: 'tcp', state: 'missing', reason: `no answer from ${url.host}` }));
      socket.on('error', (e) => done({ ...base, adapter: 'tcp', state: 'missing', reason: `cannot reach ${url.host}: ${(e as NodeJS.ErrnoException).code ?? e.message}` }));
    });
  }
  const adapter = uri.slice(0, uri.indexOf(':'));
  if (adapter === 'serial') {
    const path = uri.slice('serial:'.length);
    return Promise.resolve(existsSync(path) ? { ...base, adapter, state: 'ok' } : { ...base, adapter, state: 'missing', reason: `${path} does not exist` });
  }
  return Promise.resolve({ ...base, adapter, state: 'ok' });
}

/** The devices a profile names, each with a probe. */
export function configuredDevices(config: KioskConfig, resolvePath: (p: string) => string): Monitored[] {
  const { cardReader, camera, printer, scanner } = config.devices;
  return [
    {
      status: () =>
        cardReader.adapter === 'pcsc'
          ? probePcsc(cardReader.readerPattern)
          : { device: 'cardReader', adapter: 'virtual', state: 'ok' },
    },
    {
      status: (): DeviceState => {
        if (camera.adapter === 'renderer') return { device: 'camera', adapter: 'renderer', state: 'ok' };
        const path = camera.path ? resolvePath(camera.path) : undefined;
        if (!path || !existsSync(path)) return { device: 'camera', adapter: 'file', state: 'missing', reason: `camera source ${camera.path ?? '(none)'} not found` };
        return { device: 'camera', adapter: 'file', state: 'ok' };
      },
    },
    { status: () => probePrinterUri(printer.uri, resolvePath) },
    {
      status: (): DeviceState => {
        if (scanner.adapter !== 'hid-pos') return { device: 'scanner', adapter: scanner.adapter, state: 'ok' };
        // Open the scanner the way the kiosk would, read its state, let it go.
        const probe = createHidPosScanner({
          ...(scanner.vendorId !== undefined ? { vendorId: scanner.vendorId } : {}),
          ...(scanner.productId !== undefined ? { productId: scanner.productId } : {}),
          onScan: () => undefined,
        });
        const state = probe.status();
        probe.close();
        return state;
      },
    },
  ];
}
