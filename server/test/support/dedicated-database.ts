import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded/index.js';
import { startFerretdb } from '../../src/db/embedded/ferretdb.js';
import { cacheDir } from '../../src/paths.js';

/**
 * A database server of a test's own, for tests that stop and restart it.
 * Same engine as the run's shared database where we can tell.
 */
export async function startDedicatedDatabase(): Promise<EmbeddedDatabase & { cleanup(): Promise<void> }> {
  const dataPath = await mkdtemp(join(tmpdir(), 'wechat-login-dedicated-db-'));
  const options = { dataPath, cacheDir, log: () => {} };
  const database = inject('databaseKind') === 'ferretdb' ? await startFerretdb(options) : await startEmbeddedDatabase(options);
  return {
    ...database,
    cleanup: async () => {
      await database.stop();
      await rm(dataPath, { recursive: true, force: true });
    },
  };
}
