import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import { GroupCommit, resultsOfFailedBulk, type BatchResults } from './group-commit.js';

/** What happened to one caller's document. */
export type GroupInsertOutcome = 'inserted' | 'duplicate';

const DUPLICATE_KEY = 11000;

/**
 * Inserts from concurrent callers in shared unordered insertMany calls (see
 * GroupCommit). Each caller learns about its own document: inserted, or
 * refused as a duplicate `_id`; one duplicate does not stop the others.
 */
export class GroupInsert<T extends Document> {
  private readonly commits: GroupCommit<OptionalUnlessRequiredId<T>, GroupInsertOutcome>;

  constructor(collection: Collection<T>) {
    this.commits = new GroupCommit(async (docs): Promise<BatchResults<GroupInsertOutcome>> => {
      try {
        await collection.insertMany(docs, { ordered: false });
        return docs.map(() => ({ ok: true, outcome: 'inserted' }));
      } catch (error) {
        return resultsOfFailedBulk<GroupInsertOutcome>(error, docs.length, 'inserted', (code) =>
          code === DUPLICATE_KEY ? { ok: true, outcome: 'duplicate' } : { ok: false, error: Object.assign(new Error(`insert refused (code ${code})`), { code, cause: error }) },
        );
      }
    });
  }

  insert(doc: OptionalUnlessRequiredId<T>): Promise<GroupInsertOutcome> {
    return this.commits.submit(doc);
  }
}
