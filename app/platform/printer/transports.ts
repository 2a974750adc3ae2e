/**
 * Byte pipes to a printer, one per URI scheme. Each writes ESC/POS; those that can also read
 * (network, USB, serial) return the printer's DLE EOT replies.
 *   file:PATH            append to a file (demo, tests); cannot read status
 *   tcp://HOST[:9100]    raw TCP (JetDirect / port 9100)
 *   usb:VID:PID          libusb through the optional `usb` package (bulk endpoints)
 *   usb:/dev/usb/lpN     the Linux usblp driver's device file
 *   serial:PATH[?baud=N] the optional `serialport` package, or the tty device file as set by stty
 */
import { closeSync, createReadStream, openSync, writeSync, type ReadStream } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { KioskError } from '../../core/errors.ts';

export class PrinterError extends KioskError {}

export type TransportKind = 'file' | 'tcp' | 'usb' | 'serial';

export interface PrinterTransport {
  readonly kind: TransportKind;
  /** Whether the printer's replies can be read (status requests need it). */
  readonly readable: boolean;
  write(bytes: Uint8Array): Promise<void>;
  /** Exactly `n` bytes from the printer, or PRINTER_TIMEOUT. */
  read(n: number, timeoutMs: number): Promise<Uint8Array>;
  /** Drops any bytes received but not yet read (late or unsolicited replies). */
  discardInput(): void;
  close(): Promise<void>;
}

export type PrinterAddress =
  | { kind: 'file'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'usb'; vendorId: number; productId: number }
  | { kind: 'usb'; devicePath: string }
  | { kind: 'serial'; path: string; baudRate: number };

/** Parses a printer URI; a malformed one is a PRINTER_BAD_URI naming what is wrong. */
export function parsePrinterUri(uri: string): PrinterAddress {
  const bad = (why: string) => new PrinterError('PRINTER_BAD_URI', `printer URI "${uri}": ${why}`);
  if (uri.startsWith('file:')) {
    const path = uri.slice(5);
    if (!path) throw bad('file: needs a path');
    return { kind: 'file', path };
  }
  if (uri.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(uri);
    if (!m) throw bad('expected tcp://HOST:PORT');
    const port = Number(m[2] ?? 9100);
    if (port < 1 || port > 65535) throw bad('port must be 1..65535');
    return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port };
  }
  if (uri.startsWith('usb:')) {
    const rest = uri.slice(4);
    if (rest.startsWith('/')) return { kind: 'usb', devicePath: rest };
    const m = /^(?:0x)?([0-9a-fA-F]{4}):(?:0x)?([0-9a-fA-F]{4})$/.exec(rest);
    if (!m) throw bad('expected usb:VID:PID in hex (e.g. usb:0416:5011) or usb:/dev/usb/lp0');
    return { kind: 'usb', vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16) };
  }
  if (uri.startsWith('serial:')) {
    const [path, query] = uri.slice(7).split('?', 2) as [string, string | undefined];
    if (!path) throw bad('serial: needs a device path');
    const baud = query ? new URLSearchParams(query).get('baud') : null;
    const baudRate = baud ? Number(baud) : 19200;
    if (!Number.isInteger(baudRate) || baudRate < 1200 || baudRate > 921600) throw bad('baud must be 1200..921600');
    return { kind: 'serial', path, baudRate };
  }
  throw bad('must start with file:, tcp://, usb: or serial:');
}

/** Collects incoming bytes and hands out exact-length reads with a deadline. */
class Inbox {
  private buf = new Uint8Array(0);
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;

  push(chunk: Uint8Array): void {
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf);
    next.set(chunk, this.buf.length);
    this.buf = next;
    this.waiter?.();
  }

  fail(e: Error): void {
    this.failure = e;
    this.waiter?.();
  }

  clear(): void {
    this.buf = new Uint8Array(0);
  }

  async read(n: number, timeoutMs: number): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < n) {
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new PrinterError('PRINTER_TIMEOUT', `the printer did not answer within ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const out = this.buf.slice(0, n);
    this.buf = this.buf.slice(n);
    return out;
  }
}

function fileTransport(path: string): PrinterTransport {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (e) {
    throw new PrinterError('PRINTER_UNREACHABLE', `cannot open ${path} for writing: ${(e as NodeJS.ErrnoException).code}`);
  }
  return {
    kind: 'file',
    readable: false,
    write: async (bytes) => {
      writeSync(fd, bytes);
    },
    read: () => Promise.reject(new PrinterError('PRINTER_NOT_READABLE', 'a file: printer cannot answer status requests')),
    discardInput: () => undefined,
    close: async () => closeSync(fd),
  };
}

/** A character device opened read-write (usblp, tty): writes go out, replies come back. */
function deviceFileTransport(kind: 'usb' | 'serial', path: string): PrinterTransport {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (e) {
    throw new PrinterError('PRINTER_UNREACHABLE', `cannot open ${path}: ${(e as NodeJS.ErrnoException).code}`);
  }
  const inbox = new Inbox();
  let reader: ReadStream | undefined;
  const startReading = () => {
    if (reader) return;
    // Once reading starts the stream owns the descriptor and closes it (after any read in flight).
    reader = createReadStream('', { fd, autoClose: true });
    reader.on('data', (c) => inbox.push(c as Buffer));
    reader.on('error', (e) => inbox.fail(new PrinterError('PRINTER_IO_ERROR', `reading ${path}: ${e.message}`)));
  };
  return {
    kind,
    readable: true,
    write: async (bytes) => {
      try {
        writeSync(fd, bytes);
      } catch (e) {
        throw new PrinterError('PRINTER_IO_ERROR', `writing ${path}: ${(e as NodeJS.ErrnoException).code}`);
      }
    },
    read: (n, timeoutMs) => {
      startReading();
      return inbox.read(n, timeoutMs);
    },
    discardInput: () => inbox.clear(),
    close: async () => {
      // A closed fd number is reused at once, so a read in flight must finish before the descriptor
      // goes: the stream closes it itself after that; without a stream we close it here.
      if (reader) {
        if (!reader.closed) await new Promise<void>((resolve) => reader!.once('close', () => resolve()).destroy());
      } else {
        closeSync(fd);
      }
    },
  };
}

async function tcpTransport(host: string, port: number, timeoutMs: number): Promise<PrinterTransport> {
  const inbox = new Inbox();
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new PrinterError('PRINTER_UNREACHABLE', `no connection to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new PrinterError('PRINTER_UNREACHABLE', `cannot reach ${host}:${port}: ${e.code ?? e.message}`));
    });
  });
  socket.setNoDelay(true);
  socket.on('data', (c) => inbox.push(c));
  socket.on('error', (e: NodeJS.ErrnoException) =>
    inbox.fail(new PrinterError('PRINTER_CONNECTION_LOST', `connection to ${host}:${port} lost: ${e.code ?? e.message}`)),
  );
  socket.on('close', () => inbox.fail(new PrinterError('PRINTER_CONNECTION_LOST', `${host}:${port} closed the connection`)));
  return {
    kind: 'tcp',
    readable: true,
    write: (bytes) =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) {
          reject(new PrinterError('PRINTER_CONNECTION_LOST', `${host}:${port} closed the connection`));
          return;
        }
        socket.write(bytes, (e) =>
          e ? reject(new PrinterError('PRINTER_CONNECTION_LOST', `writing to ${host}:${port}: ${e.message}`)) : resolve(),
        );
      }),
    read: (n, t) => inbox.read(n, t),
    discardInput: () => inbox.clear(),
    close: () =>
      new Promise((resolve) => {
        if (socket.destroyed) return resolve();
        socket.end(() => resolve());
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 500).unref();
      }),
  };
}

/** Loads an optional native module by name; undefined when it is not installed or cannot load. */
async function optionalModule<T>(name: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch {
    return undefined;
  }
}

// The parts of the `usb` package (libusb) this transport uses.
interface UsbEndpoint {
  direction: 'in' | 'out';
  transferType: number;
  transfer(data: Buffer | number, cb: (e: Error | undefined, d?: Buffer) => void): void;
}
interface UsbInterface {
  endpoints: UsbEndpoint[];
  isKernelDriverActive(): boolean;
  detachKernelDriver(): void;
  claim(): void;
  release(cb: (e?: Error) => void): void;
}
interface UsbDevice {
  open(): void;
  close(): void;
  interfaces?: UsbInterface[];
}
interface UsbModule {
  findByIds(vid: number, pid: number): UsbDevice | undefined;
}

async function libusbTransport(vendorId: number, productId: number): Promise<PrinterTransport> {
  const id = `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;
  const mod = await optionalModule<UsbModule & { default?: UsbModule }>('usb');
  const usb = mod?.findByIds ? mod : mod?.default;
  if (!usb) {
    throw new PrinterError(
      'PRINTER_USB_UNAVAILABLE',
      `usb:${id} needs the optional "usb" package (libusb), which is not installed; install it, or use usb:/dev/usb/lp0 on Linux`,
    );
  }
  const device = usb.findByIds(vendorId, productId);
  if (!device) throw new PrinterError('PRINTER_UNREACHABLE', `no USB device ${id} is connected`);
  device.open();
  const iface = device.interfaces?.[0];
  if (!iface) throw new PrinterError('PRINTER_UNREACHABLE', `USB device ${id} has no interface`);
  if (iface.isKernelDriverActive()) iface.detachKernelDriver(); // usblp holds printer-class devices
  iface.claim();
  const BULK = 2;
  const out = iface.endpoints.find((e) => e.direction === 'out' && e.transferType === BULK);
  const inn = iface.endpoints.find((e) => e.direction === 'in' && e.transferType === BULK);
  if (!out) throw new PrinterError('PRINTER_UNREACHABLE', `USB device ${id} has no bulk OUT endpoint`);
  const inbox = new Inbox();
  const transfer = (ep: UsbEndpoint, arg: Buffer | number) =>
    new Promise<Buffer | undefined>((resolve, reject) =>
      ep.transfer(arg, (e, d) => (e ? reject(new PrinterError('PRINTER_IO_ERROR', `USB ${id}: ${e.message}`)) : resolve(d))),
    );
  return {
    kind: 'usb',
    readable: inn !== undefined,
    write: async (bytes) => {
      await transfer(out, Buffer.from(bytes));
    },
    read: async (n, timeoutMs) => {
      if (!inn) throw new PrinterError('PRINTER_NOT_READABLE', `USB device ${id} has no bulk IN endpoint`);
      const pending = inbox.read(n, timeoutMs);
      const d = await transfer(inn, 64).catch(() => undefined);
      if (d) inbox.push(d);
      return pending;
    },
    discardInput: () => inbox.clear(),
    close: async () => {
      await new Promise<void>((resolve) => iface.release(() => resolve()));
      device.close();
    },
  };
}

interface SerialPortLike {
  on(ev: 'data', cb: (d: Buffer) => void): void;
  on(ev: 'error', cb: (e: Error) => void): void;
  write(d: Buffer, cb: (e?: Error | null) => void): void;
  close(cb: () => void): void;
}

async function serialTransport(path: string, baudRate: number): Promise<PrinterTransport> {
  const mod = await optionalModule<{ SerialPort: new (o: object, cb: (e: Error | null) => void) => SerialPortLike }>('serialport');
  if (!mod?.SerialPort) return deviceFileTransport('serial', path); // baud as configured with stty
  const inbox = new Inbox();
  const port = await new Promise<SerialPortLike>((resolve, reject) => {
    const p: SerialPortLike = new mod.SerialPort({ path, baudRate }, (e) =>
      e ? reject(new PrinterError('PRINTER_UNREACHABLE', `cannot open ${path}: ${e.message}`)) : resolve(p),
    );
  });
  port.on('data', (d) => inbox.push(d));
  port.on('error', (e) => inbox.fail(new PrinterError('PRINTER_IO_ERROR', `${path}: ${e.message}`)));
  return {
    kind: 'serial',
    readable: true,
    write: (bytes) =>
      new Promise((resolve, reject) =>
        port.write(Buffer.from(bytes), (e) => (e ? reject(new PrinterError('PRINTER_IO_ERROR', `${path}: ${e.message}`)) : resolve())),
      ),
    read: (n, t) => inbox.read(n, t),
    discardInput: () => inbox.clear(),
    close: () => new Promise((resolve) => port.close(() => resolve())),
  };
}

/** Opens the transport a URI names. `resolvePath` makes a profile's relative file: path absolute. */
export async function openTransport(
  uri: string,
  opts: { timeoutMs: number; resolvePath?: (p: string) => string },
): Promise<PrinterTransport> {
  const a = parsePrinterUri(uri);
  const resolve = opts.resolvePath ?? ((p: string) => p);
  switch (a.kind) {
    case 'file':
      return fileTransport(resolve(a.path));
    case 'tcp':
      return tcpTransport(a.host, a.port, opts.timeoutMs);
    case 'usb':
      return 'devicePath' in a ? deviceFileTransport('usb', a.devicePath) : libusbTransport(a.vendorId, a.productId);
    case 'serial':
      return serialTransport(a.path, a.baudRate);
  }
}
