import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../app/platform/store/db.ts';
import { startTerminalSim, type TerminalSim } from '../../app/sim/payment-terminal/server.ts';
import { decodeEscPos } from '../../app/sim/printer/escpos-reader.ts';
import { PAYMENT_KEY_SYSTEM, type Invoice, type PaymentReconciliation } from '../../app/sites/hospital/common/fhir-types.ts';
import { startHisSim, type HisSim } from '../../app/sites/hospital/sim/his/server.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { decodeBarcodes } from './print-helpers.ts';

/**
 * kill -9 of the kiosk between the terminal's approval and the hospital's confirmation of a bill
 * payment. The terminal and the hospital system run outside the kiosk (as they do in a hospital).
 * After a restart the payment is confirmed once, charged once, and its receipt prints once.
 */
const child = join(import.meta.dirname, 'payment-crash-child.ts');
const dir = tempDir('payment-crash');
let his: HisSim;
let pos: TerminalSim;
let profileFile: string;
let printerFile: string;

beforeAll(async () => {
  his = await startHisSim({ port: 0 });
  pos = await startTerminalSim({ approveAfterMs: 200, dbFile: join(dir.path, 'pos.sqlite') });
  const certificate = join(dir.path, 'pos-terminal.pem');
  writeFileSync(certificate, pos.caPem);
  const profile = tempProfile('hospital', dir.path, (p) => {
    p.devices.cardReader.persona = 'le-van-cuong';
    p.site.his = { adapter: 'fhir', baseUrl: his.url };
    p.site.terminal = { adapter: 'nexo', url: pos.url, poiId: pos.poiId, certificate: { file: certificate } };
  });
  profileFile = profile.file;
  printerFile = profile.printerFile;
});
afterAll(async () => {
  await pos?.close();
  await his?.close();
  dir.cleanup();
});

function run(mode: 'pay' | 'restart', killWhen?: () => boolean): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, PAY_CHILD_MODE: mode, PAY_CHILD_PROFILE: profileFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = killWhen
      ? setInterval(() => {
          if (killWhen()) {
            clearInterval(timer);
            p.kill('SIGKILL');
          }
        }, 5)
      : undefined;
    const deadline = setTimeout(() => p.kill('SIGKILL'), 150_000);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearInterval(timer);
      clearTimeout(deadline);
      resolve({ code, signal, out });
    });
  });
}

const kioskDb = () => openDatabase(join(dir.path, 'data', 'kiosk.db'));
const receipts = () => (existsSync(printerFile) ? decodeEscPos(readFileSync(printerFile), 576).pages : []);

it('kill -9 between the terminal\'s approval and the hospital\'s confirmation: after a restart, confirmed once, charged once, one receipt', { timeout: 300_000 }, async () => {
  // The hospital holds the payment record unanswered: the kiosk has the terminal's approval, the hospital nothing.
  his.setPaymentFault('hang-before-record');
  const killed = await run('pay', () => his.paymentsHeld > 0);
  expect(killed.signal, killed.out).toBe('SIGKILL');
  his.setPaymentFault(undefined);

  let db = kioskDb();
  const [row] = db.prepare('SELECT payment_key AS key, state, receipt_printed_at AS printed FROM hospital_payments').all() as { key: string; state: string; printed: string | null }[];
  db.close();
  // The ledger was written before the call the crash interrupted.
  expect(row).toMatchObject({ state: 'approved', printed: null });
  expect(pos.charges(row!.key)).toHaveLength(1);
  const records = () => his.store.all<PaymentReconciliation>('PaymentReconciliation').filter((p) => p.identifier?.some((i) => i.system === PAYMENT_KEY_SYSTEM && i.value === row!.key));
  expect(records()).toEqual([]);
  expect(receipts()).toHaveLength(0);

  const restarted = await run('restart');
  expect(restarted.code, restarted.out).toBe(0);
  db = kioskDb();
  const after = db.prepare('SELECT state, receipt_printed_at AS printed FROM hospital_payments WHERE payment_key = ?').get(row!.key) as { state: string; printed: string | null };
  const trail = (db.prepare("SELECT action FROM audit_log WHERE action LIKE 'hospital.payment.%' ORDER BY id").all() as { action: string }[]).map((r) => r.action);
  db.close();
  expect(after.state).toBe('hospital-confirmed');
  expect(after.printed).not.toBeNull();
  expect(trail).toEqual(['hospital.payment.started', 'hospital.payment.approved', 'hospital.payment.hospital-confirmed', 'hospital.payment.receipt']);
  // Charged once (asked, never charged again), recorded once, the bill settled.
  expect(pos.ledger().filter((e) => e.reference === row!.key)).toEqual([expect.objectContaining({ kind: 'payment', state: 'approved', amountVnd: 43_000 })]);
  expect(records()).toEqual([expect.objectContaining({ status: 'active', outcome: 'complete' })]);
  const lab = his.store.all<Invoice>('Invoice').find((i) => i.id === (records()[0]!.detail![0]!.request!.reference!.split('/')[1]));
  expect(lab?.status).toBe('balanced');
  // One receipt, and it is this payment's.
  const pages = receipts();
  expect(pages).toHaveLength(1);
  expect((await decodeBarcodes(pages[0]!, ['Code128'])).map((c) => c.text)).toEqual([row!.key]);

  // Another restart settles nothing more and prints nothing more.
  const again = await run('restart');
  expect(again.code, again.out).toBe(0);
  expect(receipts()).toHaveLength(1);
  expect(records()).toHaveLength(1);
  expect(pos.charges(row!.key)).toHaveLength(1);
});
