import { mkdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { access, constants } from 'node:fs/promises';
import type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './types.js';

const BINARY_LOOKUP_TIMEOUT_MS = 20_000;

/** Finds an executable `mongod` on PATH, or undefined. */
export async function findMongodOnPath(pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'mongod');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * A mongod binary: the one on PATH, else one mongodb-memory-server already has
 * or can download. Undefined when neither works (e.g. no internet).
 */
export async function resolveMongodBinary(log: (message: string) => void): Promise<string | undefined> {
  const onPath = await findMongodOnPath();
  if (onPath) return onPath;
  try {
    const { MongoBinary } = await import('mongodb-memory-server-core');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${BINARY_LOOKUP_TIMEOUT_MS} ms`)), BINARY_LOOKUP_TIMEOUT_MS);
    });
    try {
      return await Promise.race([MongoBinary.getPath(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    log(`mongodb-memory-server could not provide a mongod (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

/**
 * Starts a single-member replica set, so transactions and change streams are
 * available exactly as on a production MongoDB.
 */
export async function startMongod(binary: string, options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
  await mkdir(options.dataPath, { recursive: true, mode: 0o700 });
  const replSet = await MongoMemoryReplSet.create({
    binary: { systemBinary: binary, checkMD5: false },
    replSet: { name: 'rs0', count: 1, storageEngine: 'wiredTiger' },
    instanceOpts: [{ dbPath: options.dataPath, storageEngine: 'wiredTiger' }],
  });
  return {
    kind: 'mongod',
    uri: replSet.getUri(),
    dataPath: options.dataPath,
    stop: async () => {
      await replSet.stop({ doCleanup: false });
    },
  };
}
