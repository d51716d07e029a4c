import type { Db } from 'mongodb';
import { epochNowMs } from '../clock.js';
import { row, type ResultRow } from '../scenario.js';
import { ms, summarize } from '../stats.js';

/**
 * The server's own query shapes on the scenes collection, timed one at a time
 * straight against the database: what each costs at this collection size.
 * The updates write values the scenes already hold, so nothing changes.
 */
async function timeEach(times: number, operation: (index: number) => Promise<unknown>): Promise<number> {
  const latencies: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const startMs = epochNowMs();
    await operation(index);
    latencies.push(epochNowMs() - startMs);
  }
  return summarize(latencies).p50;
}

export async function measureQueryShapes(db: Db, sceneIds: string[], waitingIds: string[]): Promise<{ rows: ResultRow[]; note: string }> {
  const scenes = db.collection<{ _id: string }>('wechat_scenes');
  const pick = (index: number) => sceneIds[(index * 7919) % sceneIds.length]!;
  const findById = await timeEach(50, (index) => scenes.findOne({ _id: pick(index) }));
  const updateById = await timeEach(20, (index) => scenes.updateOne({ _id: pick(index) }, { $set: { nickname: null } }));
  const updateByIdAndStatus = await timeEach(20, (index) => scenes.updateOne({ _id: pick(index), status: 'pending' }, { $set: { avatar: null } }));
  const settledPoll = await timeEach(5, () => scenes.find({ _id: { $in: waitingIds }, status: { $ne: 'pending' } }).toArray());
  const size = (await scenes.countDocuments({})).toLocaleString('en-US');
  return {
    rows: [
      row(
        `DB, ${size} scenes, one query at a time: findOne {_id} / updateOne {_id} / updateOne {_id, status} / find {_id $in ${waitingIds.length.toLocaleString('en-US')}, status $ne}`,
        `${ms(findById)} / ${ms(updateById)} / ${ms(updateByIdAndStatus)} / ${ms(settledPoll)}`,
        { target: 'reported' },
      ),
    ],
    note:
      `Query shapes on the scenes collection (median, one at a time, straight to the database, ${size} scenes): findOne by _id ${ms(findById)}; ` +
      `updateOne by _id ${ms(updateById)}; updateOne by _id + status ${ms(updateByIdAndStatus)}; find _id $in ${waitingIds.length} + status $ne ${ms(settledPoll)}. ` +
      'By _id alone is what the server uses today (get-scan-result on a cache miss, the webhook, consume); the compound filter and the $in ' +
      'are what recordScan and the scan notifier used before 095aab6, kept as a measure of what any non-_id filter costs on this engine.',
  };
}
