import { rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { detectCapabilities } from '../server/src/db/capabilities.js';
import { startEmbeddedDatabase } from '../server/src/db/embedded/index.js';
import { cacheDir } from '../server/src/paths.js';
import { benchTempDir } from './temp-dirs.js';

/** The one database server of a bench run, shared by every server process. */
export interface BenchDatabase {
  /** "FerretDB v1 (…)" or the MongoDB version, and where it came from. */
  description: string;
  engine: 'mongodb' | 'ferretdb';
  /** The connection string for one database of the run (fresh names each run). */
  uriFor(name: string): string;
  /** The server-side name of that database. */
  nameFor(name: string): string;
  /** The server without a database name, for a client that picks databases itself. */
  baseUri: string;
  /** A driver connection to one database, for seeding and verifying; closed with the database. */
  open(name: string): Promise<Db>;
  stop(): Promise<void>;
}

/** Puts a database name into a connection string, keeping its options. */
export function withDatabaseName(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a MongoDB connection string: ${uri}`);
  return `${match[1]}/${name}${match[2] ?? ''}`;
}

/**
 * MONGODB_URI when set (databases with a random prefix, dropped afterwards), else
 * a fresh embedded database (mongod if one can be had, else FerretDB) in a temporary folder.
 */
export async function startBenchDatabase(log: (message: string) => void): Promise<BenchDatabase> {
  const configured = process.env.MONGODB_URI;
  const prefix = `bench_${randomBytes(3).toString('hex')}_`;
  let baseUri: string;
  let origin: string;
  let stopServer: () => Promise<void>;
  if (configured) {
    baseUri = configured;
    origin = 'MONGODB_URI';
    stopServer = async () => {};
  } else {
    const dataPath = await benchTempDir('db');
    const embedded = await startEmbeddedDatabase({ dataPath, cacheDir, log: (message) => log(`embedded database: ${message}`) });
    baseUri = embedded.uri;
    origin = `embedded ${embedded.kind}, fresh data in a temporary folder`;
    stopServer = async () => {
      await embedded.stop();
      await rm(dataPath, { recursive: true, force: true });
    };
  }
  const client = new MongoClient(withDatabaseName(baseUri, `${prefix}probe`), { serverSelectionTimeoutMS: 10_000 });
  const used = new Set<string>();
  try {
    await client.connect();
    const capabilities = await detectCapabilities(client.db(`${prefix}probe`));
    return {
      description: `${capabilities.engine === 'ferretdb' ? capabilities.version : `MongoDB ${capabilities.version}`} (${origin}; ${capabilities.changeStreams ? 'change streams' : 'no change streams: 100 ms server-side poll'})`,
      engine: capabilities.engine,
      baseUri,
      nameFor: (name) => {
        used.add(prefix + name);
        return prefix + name;
      },
      uriFor: (name) => {
        used.add(prefix + name);
        return withDatabaseName(baseUri, prefix + name);
      },
      open: async (name) => {
        used.add(prefix + name);
        return client.db(prefix + name);
      },
      stop: async () => {
        if (configured) for (const name of used) await client.db(name).dropDatabase().catch(() => undefined);
        await client.close();
        await stopServer();
      },
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    await stopServer();
    throw error;
  }
}
