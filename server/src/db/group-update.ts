import type { AnyBulkWriteOperation, Collection, Document, UpdateFilter } from 'mongodb';
import { GroupCommit, resultsOfFailedBulk, type BatchResults } from './group-commit.js';

/**
 * `$set`s by `_id` from concurrent callers in shared unordered bulkWrite calls
 * (see GroupCommit); each caller's promise settles with its own update.
 */
export class GroupUpdateById<T extends Document & { _id: string }> {
  private readonly commits: GroupCommit<{ id: string; set: UpdateFilter<T>['$set'] }, void>;

  constructor(collection: Collection<T>) {
    this.commits = new GroupCommit(async (updates): Promise<BatchResults<void>> => {
      const operations = updates.map(({ id, set }) => ({ updateOne: { filter: { _id: id }, update: { $set: set } } }) as AnyBulkWriteOperation<T>);
      try {
        await collection.bulkWrite(operations, { ordered: false });
        return updates.map(() => ({ ok: true, outcome: undefined }));
      } catch (error) {
        return resultsOfFailedBulk<void>(error, updates.length, undefined, (code) => ({ ok: false, error: Object.assign(new Error(`update refused (code ${code})`), { code, cause: error }) }));
      }
    });
  }

  set(id: string, set: UpdateFilter<T>['$set']): Promise<void> {
    return this.commits.submit({ id, set });
  }
}
