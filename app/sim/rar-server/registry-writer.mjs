// The reference server's registry writer: one worker thread owning the registry's writes, so the
// fsync of a group commit (synchronous=FULL) never stalls the event loop that reads requests. The
// server sends a whole group of writes at once and answers those requests only when they are on
// disk. Plain JavaScript, so it loads in a worker thread without the TypeScript loader.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare(
  'INSERT INTO transactions (request_id, terminal_id, body_sha256, verdict, reasons, transaction_code, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
);
const bump = db.prepare('UPDATE transactions SET receipts = receipts + 1 WHERE request_id = ?');
const commit = db.transaction((ops) => {
  for (const op of ops) {
    if (op.kind === 'insert') insert.run(op.requestId, op.terminalId, op.bodySha256, op.verdict, JSON.stringify(op.reasons), op.transactionCode, op.decidedAt);
    else bump.run(op.requestId);
  }
});

parentPort.on('message', ({ id, ops }) => {
  try {
    commit.immediate(ops);
    parentPort.postMessage({ id });
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
