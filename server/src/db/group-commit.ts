/** One batch's answer for each operation, in order: its outcome, or the error that refused it alone. */
export type BatchResults<Outcome> = Array<{ ok: true; outcome: Outcome } | { ok: false; error: unknown }>;

interface Pending<Op, Outcome> {
  op: Op;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/** One write carries at most this many operations. */
const MAX_BATCH = 500;

/**
 * Writes from many concurrent callers, sent together (group commit): while one
 * batch is in flight the next operations queue up and go in the following
 * one. An operation on an idle queue is written at once, so nothing waits for
 * a timer; under load one round trip and one commit carry many. On FerretDB's
 * SQLite backend, which commits one write at a time, that is most of the
 * webhook's cost. Each caller still gets its own operation's result.
 */
export class GroupCommit<Op, Outcome> {
  private queue: Pending<Op, Outcome>[] = [];
  private writing = false;

  /** `writeBatch` answers per operation, or throws when the whole batch failed. */
  constructor(private readonly writeBatch: (ops: Op[]) => Promise<BatchResults<Outcome>>) {}

  submit(op: Op): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: Pending<Op, Outcome>[]): Promise<void> {
    let results: BatchResults<Outcome>;
    try {
      results = await this.writeBatch(batch.map((pending) => pending.op));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => {
      const result = results[index];
      if (!result) pending.reject(new Error('the batch gave no result for this operation'));
      else if (result.ok) pending.resolve(result.outcome);
      else pending.reject(result.error);
    });
  }
}

export interface IndexedWriteError {
  index: number;
  code: number | undefined;
}

/** The per-operation errors of an unordered bulk write, or null when the whole write failed. */
export function indexedWriteErrors(error: unknown): IndexedWriteError[] | null {
  const raw = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  if (list.length === 0) return null;
  const parsed = list.map((writeError) => writeError as { index?: unknown; code?: unknown });
  if (!parsed.every((writeError) => typeof writeError.index === 'number')) return null;
  return parsed.map((writeError) => ({ index: writeError.index as number, code: typeof writeError.code === 'number' ? writeError.code : undefined }));
}

/** Splits an unordered bulk write's failure into per-operation results; rethrows a failure of the whole write. */
export function resultsOfFailedBulk<Outcome>(error: unknown, count: number, onSuccess: Outcome, onError: (code: number | undefined) => { ok: true; outcome: Outcome } | { ok: false; error: unknown }): BatchResults<Outcome> {
  const writeErrors = indexedWriteErrors(error);
  if (!writeErrors) throw error;
  const failed = new Map(writeErrors.map((writeError) => [writeError.index, writeError.code]));
  return Array.from({ length: count }, (_, index) => (failed.has(index) ? onError(failed.get(index)) : { ok: true as const, outcome: onSuccess }));
}
