import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded/index.js';
import { cacheDir } from '../../src/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    databaseKind: string;
  }
}

/**
 * One database server per test run: MONGODB_URI when the caller set it (CI
 * against a real MongoDB), else a fresh embedded one in a temporary folder.
 * Each test file then works in databases of its own on that server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.MONGODB_URI;
  if (configured) {
    project.provide('mongoUri', configured);
    project.provide('databaseKind', 'MONGODB_URI');
    return async () => {};
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'wechat-login-test-db-'));
  const database: EmbeddedDatabase = await startEmbeddedDatabase({
    dataPath: dataDir,
    cacheDir,
    log: (message) => console.log(`[test database] ${message}`),
  });
  console.log(`[test database] ${database.kind} at ${database.uri} (data in ${dataDir})`);
  project.provide('mongoUri', database.uri);
  project.provide('databaseKind', database.kind);
  return async () => {
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
