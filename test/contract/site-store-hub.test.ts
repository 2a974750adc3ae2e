import { describe } from 'vitest';
import { postgresMissing } from '../support/postgres.ts';
import { startTestSite } from '../support/site-hub.ts';
import { siteStoreContract } from './site-store.contract.ts';

// Two kiosks, each on its own SQLite cache and outbox, through two hub processes on one database.
describe.skipIf(postgresMissing() !== undefined)('site hub', () => {
  siteStoreContract('kiosk hub client → two hubs → PostgreSQL', async () => {
    const site = await startTestSite({ durable: false });
    const [one, two] = [await site.hub(), await site.hub()];
    const a = await site.kiosk('GATE-A', [one.url, two.url]);
    const b = await site.kiosk('GATE-B', [two.url, one.url]);
    await a.store.whenOnline();
    await b.store.whenOnline();
    return { store: a.store, peer: b.store, close: () => site.close() };
  });
});
