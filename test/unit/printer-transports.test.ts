/** Printer URIs and the transports that can be exercised here without hardware. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTransport, parsePrinterUri } from '../../app/platform/printer/transports.ts';
import { PrinterSimulator } from '../../app/sim/printer/network-printer.ts';
import { STATUS_QUERY } from '../../app/platform/printer/escpos.ts';

const dir = mkdtempSync(join(tmpdir(), 'printer-transports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parsePrinterUri', () => {
  it('reads every supported form', () => {
    expect(parsePrinterUri('file:/var/lib/kiosk/p.escpos')).toEqual({ kind: 'file', path: '/var/lib/kiosk/p.escpos' });
    expect(parsePrinterUri('tcp://10.0.0.50:9100')).toEqual({ kind: 'tcp', host: '10.0.0.50', port: 9100 });
    expect(parsePrinterUri('tcp://printer.local')).toEqual({ kind: 'tcp', host: 'printer.local', port: 9100 });
    expect(parsePrinterUri('tcp://[::1]:9101')).toEqual({ kind: 'tcp', host: '::1', port: 9101 });
    expect(parsePrinterUri('usb:0416:5011')).toEqual({ kind: 'usb', vendorId: 0x0416, productId: 0x5011 });
    expect(parsePrinterUri('usb:/dev/usb/lp0')).toEqual({ kind: 'usb', devicePath: '/dev/usb/lp0' });
    expect(parsePrinterUri('serial:/dev/ttyUSB0?baud=115200')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 });
    expect(parsePrinterUri('serial:COM3')).toEqual({ kind: 'serial', path: 'COM3', baudRate: 19200 });
  });
  it('names what is wrong with a bad URI', () => {
    for (const [uri, why] of [
      ['lpt1:', /must start with/],
      ['tcp://host:99999', /port must be/],
      ['tcp://', /expected tcp/],
      ['usb:416:5011', /expected usb:VID:PID/],
      ['serial:/dev/ttyS0?baud=7', /baud must be/],
      ['file:', /needs a path/],
    ] as const) {
      expect(() => parsePrinterUri(uri), uri).toThrow(expect.objectContaining({ code: 'PRINTER_BAD_URI', message: expect.stringMatching(why) }));
    }
  });
});

describe('transports', () => {
  it('file: appends jobs and says it cannot read status', async () => {
    const path = join(dir, 'out.escpos');
    writeFileSync(path, Buffer.from([1]));
    const t = await openTransport(`file:${path}`, { timeoutMs: 100 });
    expect([t.kind, t.readable]).toEqual(['file', false]);
    await t.write(Uint8Array.of(2, 3));
    await expect(t.read(1, 10)).rejects.toMatchObject({ code: 'PRINTER_NOT_READABLE' });
    await t.close();
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  });

  it('file: into a missing folder is PRINTER_UNREACHABLE', async () => {
    await expect(openTransport(`file:${join(dir, 'no/such/dir/p')}`, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'PRINTER_UNREACHABLE' });
  });

  it('tcp: writes and reads status replies from the printer simulator', async () => {
    const sim = new PrinterSimulator();
    const port = await sim.listen(0);
    const t = await openTransport(`tcp://127.0.0.1:${port}`, { timeoutMs: 1000 });
    await t.write(STATUS_QUERY);
    expect([...(await t.read(4, 1000))]).toEqual([0x12, 0x12, 0x12, 0x12]);
    await expect(t.read(1, 50)).rejects.toMatchObject({ code: 'PRINTER_TIMEOUT' });
    await t.close();
    await sim.close();
  });

  it('tcp: a closed port is PRINTER_UNREACHABLE', async () => {
    const sim = new PrinterSimulator();
    const port = await sim.listen(0);
    await sim.close();
    await expect(openTransport(`tcp://127.0.0.1:${port}`, { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'PRINTER_UNREACHABLE' });
  });

  it('usb:VID:PID without the optional libusb module is a clear PRINTER_USB_UNAVAILABLE', async () => {
    let hasUsb = true;
    try {
      await import('usb' as string);
    } catch {
      hasUsb = false;
    }
    if (hasUsb) {
      console.log('skipped: the optional "usb" module is installed here, so its absence cannot be tested');
      return;
    }
    await expect(openTransport('usb:0416:5011', { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'PRINTER_USB_UNAVAILABLE',
      message: expect.stringMatching(/optional "usb" package/),
    });
  });

  it('usb:/dev/usb/lpN and serial: open the device file; a missing one is PRINTER_UNREACHABLE', async () => {
    await expect(openTransport('usb:/dev/usb/lp97', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'PRINTER_UNREACHABLE' });
    await expect(openTransport('serial:/dev/ttyNOPE97', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'PRINTER_UNREACHABLE' });
    // A device file stand-in: writes land, replies are read from it (the path taken without serialport).
    let hasSerialport = true;
    try {
      await import('serialport' as string);
    } catch {
      hasSerialport = false;
    }
    if (hasSerialport) {
      console.log('skipped the device-file part: the optional "serialport" module is installed and would open it instead');
      return;
    }
    const dev = join(dir, 'fake-serial');
    writeFileSync(dev, Buffer.from([0x12, 0x12, 0x12, 0x12]));
    const t = await openTransport(`serial:${dev}`, { timeoutMs: 500 });
    expect([t.kind, t.readable]).toEqual(['serial', true]);
    expect([...(await t.read(4, 500))]).toEqual([0x12, 0x12, 0x12, 0x12]);
    await t.write(Uint8Array.of(0x1b, 0x40));
    await t.close();
    expect([...readFileSync(dev)]).toEqual([0x12, 0x12, 0x12, 0x12, 0x1b, 0x40]);
  });
});
