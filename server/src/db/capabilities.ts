import type { Db } from 'mongodb';

/**
 * What the connected server can do. Real MongoDB in a replica set has it all;
 * a standalone mongod lacks transactions and change streams; FerretDB v1 also
 * lacks partial and TTL indexes. Code asks here instead of guessing.
 */
export interface DatabaseCapabilities {
  engine: 'mongodb' | 'ferretdb';
  version: string;
  transactions: boolean;
  changeStreams: boolean;
  partialIndexes: boolean;
  ttlIndexes: boolean;
  /**
   * findOneAndDelete / findOneAndUpdate with a filter run as one atomic step. FerretDB v1 runs them
   * as find-then-write, so two concurrent callers can both "win" (see db/once-only-adapter.ts).
   */
  atomicConditionalWrites: boolean;
}

export async function detectCapabilities(db: Db): Promise<DatabaseCapabilities> {
  const admin = db.admin();
  const [buildInfo, hello] = await Promise.all([
    admin.command({ buildInfo: 1 }),
    admin.command({ hello: 1 }),
  ]);
  const isFerret = 'ferretdbVersion' in buildInfo || 'ferretdbFeatures' in buildInfo;
  const isReplicated = !isFerret && (typeof hello.setName === 'string' || hello.msg === 'isdbgrid');
  return {
    engine: isFerret ? 'ferretdb' : 'mongodb',
    version: isFerret ? `FerretDB v1 (MongoDB ${String(buildInfo.version)} wire protocol)` : String(buildInfo.version),
    transactions: isReplicated,
    changeStreams: isReplicated,
    partialIndexes: !isFerret,
    ttlIndexes: !isFerret,
    atomicConditionalWrites: !isFerret,
  };
}
