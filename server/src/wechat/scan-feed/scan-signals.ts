import { ObjectId, type Collection, type Db } from 'mongodb';
import { GroupInsert } from '../../db/group-insert.js';
import type { ScanSignal } from './feed.js';

export const SIGNAL_COLLECTION = 'wechat_scan_signals';
/** Signals are read for this long after they are written: covers clock skew between instances. */
const RECENT_WINDOW_MS = 30_000;
/** The sweep keeps the collection small, so reading the recent ones stays cheap without an index. */
const SIGNAL_RETENTION_MS = 2 * 60_000;

interface SignalRecord {
  _id: ObjectId;
  sceneId: string;
  createdAt: Date;
}

/**
 * "Scene X changed" notes in a small collection, for databases without change
 * streams (FerretDB, a standalone mongod). Every instance reads the recent
 * notes with one query per poll, however many pages wait, instead of asking
 * about every waiting scene.
 */
export class ScanSignals {
  private readonly signals: Collection<SignalRecord>;
  /** A burst of scans leaves its signals in one write. */
  private readonly inserts: GroupInsert<SignalRecord>;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.signals = db.collection<SignalRecord>(SIGNAL_COLLECTION);
    this.inserts = new GroupInsert(this.signals);
  }

  async publish(sceneId: string): Promise<void> {
    await this.inserts.insert({ _id: new ObjectId(), sceneId, createdAt: new Date(this.now()) });
  }

  async recent(): Promise<ScanSignal[]> {
    const records = await this.signals.find({ createdAt: { $gte: new Date(this.now() - RECENT_WINDOW_MS) } }).toArray();
    return records.map((record) => ({ id: record._id.toHexString(), sceneId: record.sceneId }));
  }

  async sweepExpired(): Promise<number> {
    return (await this.signals.deleteMany({ createdAt: { $lt: new Date(this.now() - SIGNAL_RETENTION_MS) } })).deletedCount;
  }
}
