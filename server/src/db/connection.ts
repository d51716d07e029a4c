import mongoose, { type Connection } from 'mongoose';
import type { Db, MongoClient } from 'mongodb';
import { detectCapabilities, type DatabaseCapabilities } from './capabilities.js';

export interface Database {
  connection: Connection;
  /** The official driver's handles on the same connection pool, for better-auth. */
  client: MongoClient;
  db: Db;
  capabilities: DatabaseCapabilities;
  close(): Promise<void>;
}

/** Fails requests fast while the database is away instead of hanging them for 30 s. */
const SERVER_SELECTION_TIMEOUT_MS = 5_000;
const DEFAULT_DB_NAME = 'wechat_login';

export async function connectDatabase(uri: string, options: { dbName?: string } = {}): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    // The URI's own database wins; otherwise a stable default, never "test".
    dbName: options.dbName ?? (databaseNameFromUri(uri) || DEFAULT_DB_NAME),
    autoIndex: false,
  });
  await connection.asPromise();
  const db = connection.db;
  if (!db) throw new Error('mongoose connected without a database handle');
  const client = connection.getClient() as unknown as MongoClient;
  const capabilities = await detectCapabilities(db);
  return {
    connection,
    client,
    db,
    capabilities,
    close: () => connection.close(),
  };
}

/** Answers whether the database replies within `timeoutMs`. Never throws. */
export async function pingDatabase(db: Db, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([db.command({ ping: 1 }, { timeoutMS: timeoutMs }).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function databaseNameFromUri(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(uri);
  return decodeURIComponent(match?.[1] ?? '');
}
