export type EmbeddedDatabaseKind = 'mongod' | 'ferretdb';

/** A database process this server started for itself and must stop on exit. */
export interface EmbeddedDatabase {
  kind: EmbeddedDatabaseKind;
  uri: string;
  /** Where the data lives, for the start-up log line. */
  dataPath: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Directory for the data files; created when missing. Kept across restarts. */
  dataPath: string;
  /** Directory for built binaries (the FerretDB program). */
  cacheDir: string;
  log: (message: string) => void;
}
