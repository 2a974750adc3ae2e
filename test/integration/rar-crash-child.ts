/**
 * Kiosk-side process for the kill -9 test (rar-crash.test.ts). Not a test file itself.
 *   RAR_CHILD_MODE=enqueue  queues RAR_CHILD_COUNT verification requests in the outbox, then exits
 *   RAR_CHILD_MODE=drain    delivers the outbox until it is empty, printing progress
 * RAR_CHILD_SETUP names a JSON file with { db, endpoint, terminalId, subject } (subject byte fields in base64).
 */
import { readFileSync } from 'node:fs';
import { buildVerificationRequest } from '../../app/core/verification/subject.ts';
import type { RarEndpoint } from '../../app/platform/rar/from-config.ts';
import { startVerification } from '../../app/platform/rar/verification-service.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { subjectFromJson, testConfig } from './rar-light.ts';

const setup = JSON.parse(readFileSync(process.env.RAR_CHILD_SETUP!, 'utf8')) as { db: string; endpoint: RarEndpoint; terminalId: string; subject: Record<string, unknown> };
const db = openDatabase(setup.db);
const audit = new AuditLog(db);
const v = startVerification({
  config: testConfig({ outbox: { concurrency: 8, batchSize: 32, pollMs: 1000, retryBaseMs: 10, retryMaxMs: 50 } }),
  endpoint: setup.endpoint,
  db,
  audit,
  terminalId: setup.terminalId,
  startWorker: false,
});

if (process.env.RAR_CHILD_MODE === 'enqueue') {
  const subject = subjectFromJson(setup.subject);
  const n = Number(process.env.RAR_CHILD_COUNT);
  // One transaction for the set-up (the test is about the drain, not about enqueue speed).
  v.outbox.batch(() => {
    for (let i = 0; i < n; i++) v.outbox.enqueue(buildVerificationRequest(subject, { terminalId: setup.terminalId, variant: 'basic' }), 'TEST_CRASH');
  });
  console.log(`queued ${v.outbox.counts().queued}`);
} else {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await v.worker.drain();
    console.log(`delivered ${r.delivered} remaining ${r.remaining}`);
    if (r.remaining === 0 || Date.now() > deadline) break;
    if (r.delivered === 0) await new Promise((res) => setTimeout(res, 100));
  }
}
await v.stop();
db.close();
