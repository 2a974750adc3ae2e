import { openDatabase } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { tempDir } from '../support/temp-dir.ts';
import { join } from 'node:path';
import { siteStoreContract } from './site-store.contract.ts';

// The embedded store: one kiosk, its own SQLite file (the default; `npm start` needs nothing else).
siteStoreContract('embedded SQLite', async () => {
  const dir = tempDir('site-store');
  const db = openDatabase(join(dir.path, 'kiosk.sqlite'));
  const store = new SqliteSiteStore(db);
  return {
    store,
    async close() {
      await store.close();
      db.close();
      dir.cleanup();
    },
  };
});
