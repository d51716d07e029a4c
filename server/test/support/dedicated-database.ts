import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startFerretdb } from '../../src/db/embedded/ferretdb.js';
import { resolveMongodBinary } from '../../src/db/embedded/mongod.js';
import { cacheDir } from '../../src/paths.js';
import { freePort } from './server-process.js';

export interface DedicatedDatabase {
  uri: string;
  stop(): Promise<void>;
  /** Starts it again on the same address with the same data, as after a database restart. */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * A database server of a test's own, for tests that stop and restart it: the
 * same engine as the run's shared database (FerretDB here, mongod where one exists).
 */
export async function startDedicatedDatabase(): Promise<DedicatedDatabase> {
  const dataPath = await mkdtemp(join(tmpdir(), 'wechat-login-dedicated-db-'));
  const port = await freePort();
  const start = inject('databaseKind') === 'ferretdb' ? () => startFerretdbOn(dataPath, port) : () => startMongodOn(dataPath, port);
  let stop = await start();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    stop: () => stop(),
    restart: async () => {
      stop = await start();
    },
    cleanup: async () => {
      await stop();
      await rm(dataPath, { recursive: true, force: true });
    },
  };
}

async function startFerretdbOn(dataPath: string, port: number): Promise<() => Promise<void>> {
  const database = await startFerretdb({ dataPath, cacheDir, log: () => {}, listen: `127.0.0.1:${port}` });
  return () => database.stop();
}

async function startMongodOn(dataPath: string, port: number): Promise<() => Promise<void>> {
  const binary = await resolveMongodBinary(() => {});
  if (!binary) throw new Error('the run uses mongod, but no mongod binary was found for a dedicated database');
  const child = spawn(binary, ['--dbpath', dataPath, '--port', String(port), '--bind_ip', '127.0.0.1'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  const { MongoClient } = await import('mongodb');
  for (;;) {
    const up = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`, { serverSelectionTimeoutMS: 500 }).then(
      async (client) => (await client.close(), true),
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error('mongod did not start within 30 s');
  }
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
}
