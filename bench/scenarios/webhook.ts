import type { Db } from 'mongodb';
import { issueScenes, type IssuedScene } from '../browser-client.js';
import type { ServerHandle } from '../cluster.js';
import { epochNowMs } from '../clock.js';
import { startCpuWindow } from '../cpu-meter.js';
import { newWechatId, row, sleep, withServers, WEBHOOK_PATH, type BenchContext, type ResultRow, type ScenarioResult } from '../scenario.js';
import type { ThroughputResult } from '../load.js';
import type { PushOutcome, ScanRequest } from '../simulator-process.js';
import { ms, perSecond, ratio, summarize } from '../stats.js';
import type { PushMode } from '../wechat-account.js';

const WECHAT_DEADLINE_MS = 5000;
const P99_TARGET_MS = 50;
const SCENES = 'wechat_scenes';
const DEDUPE = 'wechat_webhook_dedupe';
const CLAIMS = 'claims';
/** Every 1/retryFraction-th scan is delivered twice, as WeChat does after a timeout. */
const retryEvery = (fraction: number) => Math.max(1, Math.round(1 / fraction));

interface Expected {
  openid: string;
  unionid: string;
}

function scanRequests(scenes: IssuedScene[], retryFraction: number, expected: Map<string, Expected>): ScanRequest[] {
  const every = retryFraction > 0 ? retryEvery(retryFraction) : 0;
  return scenes.map((scene, index) => {
    const identity = { openid: newWechatId(), unionid: newWechatId() };
    expected.set(scene.sceneId, identity);
    return { qrcodeContent: scene.qrcodeContent, ...identity, withRetry: every > 0 && index % every === 0 };
  });
}

async function countIn(db: Db, collection: string, filter: object = {}): Promise<number> {
  return db.collection(collection).countDocuments(filter);
}

/** How the scenes of a run ended up in the database. */
interface SceneCheck {
  /** Not (or no longer) `scanned`: the scan was lost. */
  notScanned: number;
  /** Scanned, but by an openid other than the phone's. */
  wrongOpenid: number;
  /** Scanned by the right openid, but without the unionid user/info gave: a degraded sign-in. */
  missingUnionid: number;
  /** Of those missing the unionid, how many were delivered twice. */
  missingUnionidWithRetry: number;
  claims: number;
}

async function verifyScenes(db: Db, expected: Map<string, Expected>, retried: Set<string>): Promise<SceneCheck> {
  const ids = [...expected.keys()];
  const check: SceneCheck = { notScanned: 0, wrongOpenid: 0, missingUnionid: 0, missingUnionidWithRetry: 0, claims: 0 };
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const docs = await db
      .collection<{ _id: string; status: string; openid: string | null; unionid: string | null }>(SCENES)
      .find({ _id: { $in: chunk } })
      .toArray();
    const found = new Map(docs.map((doc) => [doc._id, doc]));
    for (const id of chunk) {
      const doc = found.get(id);
      const want = expected.get(id)!;
      if (!doc || doc.status !== 'scanned') check.notScanned += 1;
      else if (doc.openid !== want.openid) check.wrongOpenid += 1;
      else if (doc.unionid !== want.unionid) {
        check.missingUnionid += 1;
        if (retried.has(id)) check.missingUnionidWithRetry += 1;
      }
    }
    check.claims += await countIn(db, CLAIMS, { _id: { $in: chunk.map((id) => `scene-scan:${id}`) } });
  }
  return check;
}

interface ModeRun {
  outcomes: PushOutcome[];
  /** The same kind of push, one at a time, after the loaded run. */
  sequential: PushOutcome[];
  /** The same kind of push arriving at a steady rate (open loop), after the loaded run. */
  steady: PushOutcome[];
  scenesInCollection: number;
  cpuNote: string;
  events: number;
  retries: number;
  wallMs: number;
  verification: SceneCheck & { dedupeAdded: number; userInfoCalls: number };
}

async function runMode(ctx: BenchContext, server: ServerHandle, mode: PushMode, db: Db): Promise<ModeRun> {
  const { minEventsPerMode, maxEventsPerMode, targetSeconds, concurrency, retryFraction, warmupEvents } = ctx.settings.webhook;
  await ctx.simulator.call('setWebhook', { url: `${server.url}${WEBHOOK_PATH}` });

  ctx.progress(`webhook ${mode}: ${warmupEvents} warm-up scans`);
  const warmup = await issueScenes([server.url], warmupEvents);
  const warmupStartMs = epochNowMs();
  await ctx.simulator.call('scan', { requests: scanRequests(warmup, 0, new Map()), mode, concurrency });
  const warmupRate = warmupEvents / ((epochNowMs() - warmupStartMs) / 1000);
  // Sized so the measured run lasts about targetSeconds at the warm-up's pace.
  const eventsPerMode = Math.round(Math.min(maxEventsPerMode, Math.max(minEventsPerMode, (warmupRate * targetSeconds) / (1 + retryFraction))));
  ctx.progress(`webhook ${mode}: warm-up ran at ${warmupRate.toFixed(0)} events/s; ${eventsPerMode} QR codes to scan`);
  const scenes = await issueScenes([server.url], eventsPerMode);
  const scenesInCollection = await countIn(db, SCENES);

  const expected = new Map<string, Expected>();
  const requests = scanRequests(scenes, retryFraction, expected);
  const dedupeBefore = await countIn(db, DEDUPE);
  const statsBefore = await ctx.simulator.call('stats');
  ctx.progress(`webhook ${mode}: ${requests.length} scans + ${requests.filter((r) => r.withRetry).length} retries at ${concurrency} concurrent pushes`);
  const stopCpu = await startCpuWindow([server, ctx.simulator]);
  const startMs = epochNowMs();
  const outcomes = await ctx.simulator.call('scan', { requests, mode, concurrency });
  const wallMs = epochNowMs() - startMs;
  const cpuNote = await stopCpu();
  const retried = new Set(scenes.filter((_, index) => requests[index]!.withRetry).map((scene) => scene.sceneId));
  // A push WeChat gave up on may still be running on the server: let the database settle before judging.
  let check = await verifyScenes(db, expected, retried);
  for (let attempt = 0; attempt < 5 && outcomes.some((outcome) => outcome.status !== 200); attempt += 1) {
    await sleep(2000);
    const again = await verifyScenes(db, expected, retried);
    const settled = JSON.stringify(again) === JSON.stringify(check);
    check = again;
    if (settled) break;
  }
  const statsAfter = await ctx.simulator.call('stats');
  const dedupeAdded = (await countIn(db, DEDUPE)) - dedupeBefore;
  // Only now, with every count of the loaded run taken:
  const { sequentialEvents } = ctx.settings.webhook;
  ctx.progress(`webhook ${mode}: ${sequentialEvents} pushes one at a time`);
  const sequentialScenes = await issueScenes([server.url], sequentialEvents);
  const sequential = await ctx.simulator.call('scan', { requests: scanRequests(sequentialScenes, 0, new Map()), mode, concurrency: 1 });
  const { steadyRatePerSecond, steadySeconds } = ctx.settings.webhook;
  ctx.progress(`webhook ${mode}: ${steadyRatePerSecond} pushes/s for ${steadySeconds} s (open loop)`);
  const steadyScenes = await issueScenes([server.url], steadyRatePerSecond * steadySeconds);
  const steady = await ctx.simulator.call('scan', { requests: scanRequests(steadyScenes, 0, new Map()), mode, concurrency: 0, ratePerSecond: steadyRatePerSecond });
  return {
    outcomes,
    sequential,
    steady,
    scenesInCollection,
    cpuNote,
    events: outcomes.length,
    retries: outcomes.filter((outcome) => outcome.retry).length,
    wallMs,
    verification: {
      ...check,
      dedupeAdded,
      userInfoCalls: statsAfter.userInfoCalls - statsBefore.userInfoCalls,
    },
  };
}

function rowsFor(ctx: BenchContext, mode: PushMode, run: ModeRun, bare: ThroughputResult): { rows: ResultRow[]; notes: string[] } {
  const { concurrency } = ctx.settings.webhook;
  const latency = summarize(run.outcomes.map((outcome) => outcome.answeredAtMs - outcome.sentAtMs));
  const alone = summarize(run.sequential.filter((outcome) => outcome.status === 200).map((outcome) => outcome.answeredAtMs - outcome.sentAtMs));
  const { steadyRatePerSecond } = ctx.settings.webhook;
  const steady = summarize(run.steady.map((outcome) => outcome.answeredAtMs - outcome.sentAtMs));
  const steadyFailed = run.steady.filter((outcome) => outcome.status !== 200 || !outcome.replied).length;
  const eventsPerSecond = run.events / (run.wallMs / 1000);
  const unanswered = run.outcomes.filter((outcome) => outcome.status !== 200 || !outcome.replied).length;
  const scans = run.events - run.retries;
  const { notScanned, wrongOpenid, missingUnionid, missingUnionidWithRetry, claims, dedupeAdded, userInfoCalls } = run.verification;
  const lost = notScanned + wrongOpenid;
  // Each scan has one dedupe key and one claim key (retries share them): more records than scans means a scan was taken twice.
  const extraRecords = Math.max(0, claims - scans) + Math.max(0, dedupeAdded - scans);
  const label = `Webhook, ${mode} mode`;
  const firstError = run.outcomes.find((outcome) => outcome.error)?.error;
  return {
    rows: [
      row(`${label}: events/s at ${concurrency} concurrent pushes`, perSecond(eventsPerSecond), {
        ratio: ratio(eventsPerSecond, bare.requestsPerSecond),
      }),
      row(`${label}: p50 / p99 / max push latency`, `${ms(latency.p50)} / ${ms(latency.p99)} / ${ms(latency.max)}`, {
        target: `p99 < ${P99_TARGET_MS} ms (WeChat: 5 s)`,
        pass: latency.p99 < P99_TARGET_MS && latency.max < WECHAT_DEADLINE_MS,
      }),
      row(`${label}: p50 / p99 push latency, one push at a time`, `${ms(alone.p50)} / ${ms(alone.p99)}`, { target: 'reported' }),
      row(`${label}: p50 / p99 push latency at a steady ${steadyRatePerSecond} pushes/s`, `${ms(steady.p50)} / ${ms(steady.p99)}`, { target: 'reported' }),
      row(`${label}: pushes not answered 200 within WeChat's 5 s`, `${unanswered} of ${run.events}`, { target: '0', pass: unanswered === 0 }),
      row(`${label}: scans lost / recorded twice / scenes missing their unionid`, `${lost} / ${extraRecords} / ${missingUnionid}`, {
        target: '0 / 0 / 0',
        pass: lost === 0 && extraRecords === 0 && missingUnionid === 0 && claims === scans && dedupeAdded === scans,
      }),
    ],
    notes: [
      `${label}: ${scans} scans of distinct pending scenes by new followers (subscribe + qrscene_), plus ${run.retries} retries ` +
        `(the identical event again, sent right behind the first), ${concurrency} in flight, in ${(run.wallMs / 1000).toFixed(1)} s. ` +
        `Every answer 200 with a passive reply WeChat accepts: ${run.events - unanswered}/${run.events}. ` +
        `In the database afterwards: ${scans - notScanned - wrongOpenid}/${scans} scenes scanned by exactly their openid (${notScanned} not scanned, ${wrongOpenid} by another openid), ` +
        `${missingUnionid} of them without the unionid that user/info returned (${missingUnionidWithRetry} of those had been delivered twice); ` +
        `${claims} scan claims and ${dedupeAdded} new dedupe records for ${scans} scans (one each expected); ${userInfoCalls} user/info calls. ` +
        `The scenes collection held ${run.scenesInCollection.toLocaleString('en-US')} documents. ${run.cpuNote}.` +
        ` Then ${run.sequential.length} more scans one at a time (${run.sequential.filter((outcome) => outcome.status === 200).length} answered 200): ` +
        `p50 ${ms(alone.p50)}, p99 ${ms(alone.p99)}, max ${ms(alone.max)}.` +
        ` Then ${run.steady.length} scans arriving at a steady ${steadyRatePerSecond}/s whatever the answers (open loop, as from many phones; ` +
        `${run.steady.length - steadyFailed} answered 200 with a reply): p50 ${ms(steady.p50)}, p90 ${ms(steady.p90)}, p99 ${ms(steady.p99)}, max ${ms(steady.max)}.` +
        (firstError ? ` First error: ${firstError}` : ''),
    ],
  };
}

/**
 * Signed pushes to the webhook: plaintext to a plain-mode instance, AES to a
 * safe-mode one, each on a fresh database so neither pays for the other's scenes.
 */
export async function benchWebhook(ctx: BenchContext): Promise<ScenarioResult> {
  const result: ScenarioResult = { rows: [], notes: [] };
  const bare = (await ctx.bare.reference()).throughput;
  for (const mode of ['plain', 'safe'] as const) {
    const database = `webhook-${mode}`;
    const { rows, notes } = await withServers(ctx, database, [{ name: `server-${mode}`, mode }], async ([server]) =>
      rowsFor(ctx, mode, await runMode(ctx, server!, mode, await ctx.database.open(database)), bare),
    );
    result.rows.push(...rows);
    result.notes.push(...notes);
  }
  return result;
}
