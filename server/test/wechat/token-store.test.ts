import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { OnceClaims } from '../../src/db/claims.js';
import { connectDatabase, type Database } from '../../src/db/connection.js';
import { silentLogger } from '../../src/logger.js';
import { MongoAccessTokenStore } from '../../src/wechat/api/token-store.js';
import { uniqueDbName } from '../support/test-runtime.js';

let databases: Database[];
beforeAll(async () => {
  const dbName = uniqueDbName('tokens');
  // Three connections to one database: three server instances.
  databases = await Promise.all([1, 2, 3].map(() => connectDatabase(inject('mongoUri'), { dbName })));
});
afterAll(async () => {
  await Promise.all(databases.map((d) => d.close()));
});

function countingFetcher() {
  let fetches = 0;
  return {
    get count() {
      return fetches;
    },
    fetch: async () => {
      fetches += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { accessToken: `token-${fetches}`, expiresInSeconds: 7200 };
    },
  };
}

function storesFor(appId: string, fetcher: ReturnType<typeof countingFetcher>) {
  return databases.map((d) => new MongoAccessTokenStore(d.db, new OnceClaims(d.db), appId, fetcher.fetch, silentLogger));
}

describe('MongoAccessTokenStore', () => {
  it('fetches one token for many concurrent callers across instances', async () => {
    const fetcher = countingFetcher();
    const stores = storesFor('wxconcurrent', fetcher);
    const tokens = await Promise.all(Array.from({ length: 300 }, (_, i) => stores[i % stores.length]!.getAccessToken()));
    expect(fetcher.count).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
  });

  it('refreshes once after WeChat rejects the token, and every instance moves to the new one', async () => {
    const fetcher = countingFetcher();
    const stores = storesFor('wxinvalidate', fetcher);
    const first = await stores[0]!.getAccessToken();
    await Promise.all(stores.map((store) => store.invalidate(first)));
    const after = await Promise.all(stores.flatMap((store) => [store.getAccessToken(), store.getAccessToken()]));
    expect(fetcher.count).toBe(2);
    expect(new Set(after)).toEqual(new Set(['token-2']));
  });

  it('keeps a newer token when a stale one is reported late', async () => {
    const fetcher = countingFetcher();
    const [store] = storesFor('wxstale', fetcher);
    const first = await store!.getAccessToken();
    await store!.invalidate(first);
    const second = await store!.getAccessToken();
    await store!.invalidate(first); // a late report about the old token
    expect(await store!.getAccessToken()).toBe(second);
    expect(fetcher.count).toBe(2);
  });
});
