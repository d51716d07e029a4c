import { findMongodOnPath, resolveMongodBinary, startMongod } from './mongod.js';
import { startFerretdb } from './ferretdb.js';
import type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './types.js';

export type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './types.js';
export { findMongodOnPath };

/**
 * The database used when MONGODB_URI is unset: a real mongod when one can be
 * had (on PATH, or through mongodb-memory-server), else FerretDB on SQLite.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const failures: string[] = [];
  const mongod = await resolveMongodBinary(options.log);
  if (mongod) {
    try {
      return await startMongod(mongod, { ...options, dataPath: `${options.dataPath}/mongod` });
    } catch (error) {
      failures.push(`mongod (${mongod}): ${(error as Error).message}`);
    }
  } else {
    failures.push('mongod: none on PATH and mongodb-memory-server could not download one');
  }
  try {
    return await startFerretdb({ ...options, dataPath: `${options.dataPath}/ferretdb` });
  } catch (error) {
    failures.push(`FerretDB: ${(error as Error).message}`);
  }
  throw new Error(
    'No database available. Set MONGODB_URI to a MongoDB server (e.g. mongodb://localhost:27017/wechat-login), ' +
      'or install mongod (MongoDB 6+) on PATH, or install Go 1.24+ so the embedded FerretDB can be built. ' +
      `Tried: ${failures.join('; ')}`,
  );
}
