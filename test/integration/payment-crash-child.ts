/**
 * The kiosk process of the kill -9 payment test (payment-crash.test.ts). Not a test file itself.
 *   PAY_CHILD_MODE=pay      starts the kiosk, and as Lê Văn Cường pays his lab bill by card, then
 *                           waits (the test kills it while the hospital holds the payment record)
 *   PAY_CHILD_MODE=restart  starts the kiosk on the same data (its start-up reconciliation runs) and stops
 * PAY_CHILD_PROFILE names the profile file.
 */
import { startKioskHost } from '../../app/host/kiosk-host.ts';

const host = await startKioskHost({ profile: process.env.PAY_CHILD_PROFILE!, port: 0, log: (line) => console.log(`log: ${line}`) });
const journey = host.journey;
const until = async (what: string, ok: () => boolean, ms = 90_000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (at ${JSON.stringify(journey.view().state)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

if (process.env.PAY_CHILD_MODE === 'pay') {
  await journey.act({ action: 'start', purpose: 'pay' });
  await journey.act({ action: 'consent', accepted: true });
  await journey.act({ action: 'key', key: { kind: 'id-number', idNumber: '099047000456', source: 'typed-id' } });
  await until('the bills', () => journey.view().site?.siteStep === 'bills');
  const bills = (journey.view().site!.data as { bills: { billId: string; kind: string }[] }).bills;
  const lab = bills.find((b) => b.kind === 'laboratory')!;
  await journey.act({ action: 'site', payload: { choose: 'pay', method: 'card', billIds: [lab.billId] } });
  console.log('paying');
  await new Promise(() => undefined); // killed here
} else {
  // close() waits for the start-up reconciliation and the receipt it prints.
  await host.close();
  console.log('restarted');
}
