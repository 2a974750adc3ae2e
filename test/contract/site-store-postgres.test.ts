import { describe } from 'vitest';
import { PostgresSiteStore } from '../../app/platform/store/site-store/postgres.ts';
import { postgresMissing, startPostgres } from '../support/postgres.ts';
import { siteStoreContract } from './site-store.contract.ts';

// Two stores on one database stand for two hub processes of one site.
describe.skipIf(postgresMissing() !== undefined)('PostgreSQL', () => {
  siteStoreContract('PostgreSQL (two hub processes on one database)', async () => {
    const cluster = await startPostgres({ durable: false });
    const store = await PostgresSiteStore.open({ connectionString: cluster.url });
    const peer = await PostgresSiteStore.open({ connectionString: cluster.url });
    return {
      store,
      peer,
      async close() {
        await store.close();
        await peer.close();
        await cluster.stop();
      },
    };
  });
});
