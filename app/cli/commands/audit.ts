import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { loadProfile, profileRelative } from '../../host/config-loader.ts';
import { AuditLog } from '../../platform/store/audit-log.ts';
import { openDatabase } from '../../platform/store/db.ts';

const usage = `Usage: cccd-kiosk audit verify [--profile NAME|PATH | --db FILE]

Walks the hash-chained audit log and reports the first row that was altered, removed or reordered.
Exit codes: 0 the chain is intact, 1 it is broken, 2 the database cannot be found.`;

const command: Command = {
  name: 'audit',
  summary: 'Verify the hash-chained audit log (`audit verify`)',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'verify') throw new UsageError(sub ? `unknown audit sub-command "${sub}"` : 'missing sub-command');
    const { values } = parseArgs({ args: rest, options: { profile: { type: 'string', default: 'demo' }, db: { type: 'string' } }, strict: true });
    let file = values.db;
    if (!file) {
      const profile = loadProfile(values.profile);
      file = join(profileRelative(profile, profile.config.storage.dataDir), 'kiosk.db');
    }
    if (!existsSync(file)) {
      console.error(`cccd-kiosk audit: no kiosk database at ${file}`);
      return 2;
    }
    const db = openDatabase(file);
    try {
      const result = new AuditLog(db).verify();
      if (result.ok) {
        console.log(`audit log intact: ${result.rows} rows`);
        return 0;
      }
      console.log(`audit log BROKEN at row ${result.firstBrokenId}: ${result.reason} (${result.rows} rows before it verified)`);
      return 1;
    } finally {
      db.close();
    }
  },
};
export default command;
