// Child process for the kill-during-writes test: appends audit rows as fast as it can and prints the
// id of each row after its transaction committed. Whatever it printed must survive `kill -9`.
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';

const db = openDatabase(process.argv[2]!);
const audit = new AuditLog(db);
for (let i = 0; ; i += 1) {
  const row = audit.append({ actor: 'test', action: 'burst', detail: { i, pad: 'x'.repeat(200) } });
  process.stdout.write(`${row.id}\n`);
}
