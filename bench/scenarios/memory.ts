import { connectDatabase } from '../../server/src/db/connection.js';
import { OnceClaims } from '../../server/src/db/claims.js';
import { generateSceneId } from '../../server/src/wechat/scenes/scene.js';
import { newBindingSecret } from '../../server/src/wechat/scenes/scene.js';
import { SceneStore } from '../../server/src/wechat/scenes/scene-store.js';
import { BINDING_COOKIE, getScanResult, mapConcurrently, type IssuedScene } from '../browser-client.js';
import type { ServerHandle } from '../cluster.js';
import { epochNowMs } from '../clock.js';
import { cpuTimeMs, findDescendants } from '../proc-cpu.js';
import { measureQueryShapes } from './query-shapes.js';
import { row, sleep, type BenchContext, type ScenarioResult } from '../scenario.js';
import { openScanStream, type ScanStream } from '../sse-client.js';
import { mib, ms, summarize, type Summary } from '../stats.js';

const SCENE_TTL_SECONDS = 900;
const PROBE_REQUESTS = 200;

/** Pending scenes straight into the database through the server's own SceneStore. */
async function seedPendingScenes(uri: string, count: number, withSecrets: number): Promise<IssuedScene[]> {
  const database = await connectDatabase(uri);
  try {
    const store = new SceneStore(database.db, new OnceClaims(database.db), { requireConfirmation: true });
    return await mapConcurrently(Array.from({ length: count }, (_, index) => index), 32, async (index) => {
      const sceneId = generateSceneId();
      const bindingSecret = newBindingSecret();
      await store.create({ sceneId, bindingSecret, purpose: 'login', ticket: `bench-ticket-${sceneId}`, ttlSeconds: SCENE_TTL_SECONDS, requester: { userAgent: null, ip: '127.0.0.1' } });
      return { serverUrl: '', sceneId, qrcodeContent: '', cookie: index < withSecrets ? `${BINDING_COOKIE}=${bindingSecret}` : '' };
    });
  } finally {
    await database.close();
  }
}

async function waitForWaitingBrowsers(server: ServerHandle, count: number): Promise<number> {
  let waiting = 0;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    waiting = (await server.call('usage', { collectGarbage: false })).waitingBrowsers;
    if (waiting >= count) break;
    await sleep(100);
  }
  return waiting;
}

/** CPU use of the server and of the database over `seconds`, in % of one core. */
async function idleCpu(server: ServerHandle, seconds: number): Promise<{ serverPercent: number; databasePercent: number | null }> {
  const databasePids = [...findDescendants('ferretdb'), ...findDescendants('mongod')];
  const before = await server.call('usage', { collectGarbage: false });
  const databaseBefore = cpuTimeMs(databasePids);
  const startMs = epochNowMs();
  await sleep(seconds * 1000);
  const after = await server.call('usage', { collectGarbage: false });
  const databaseAfter = cpuTimeMs(databasePids);
  const elapsedMs = epochNowMs() - startMs;
  const serverMs = (after.cpuUserMicros + after.cpuSystemMicros - before.cpuUserMicros - before.cpuSystemMicros) / 1000;
  return {
    serverPercent: (100 * serverMs) / elapsedMs,
    databasePercent: databaseBefore === null || databaseAfter === null ? null : (100 * (databaseAfter - databaseBefore)) / elapsedMs,
  };
}

/** get-scan-result one after another, as a quiet page would: latency without load. */
async function sequentialPolls(scene: IssuedScene): Promise<Summary> {
  const latencies: number[] = [];
  for (let index = 0; index < PROBE_REQUESTS; index += 1) {
    const startMs = epochNowMs();
    const answer = await getScanResult(scene);
    if (answer.status !== 200) throw new Error(`get-scan-result answered ${answer.status}`);
    latencies.push(epochNowMs() - startMs);
  }
  return summarize(latencies);
}

/** One instance holding many pending scenes and many open push channels: memory, idle CPU, and whether it still answers quickly. */
export async function benchMemory(ctx: BenchContext): Promise<ScenarioResult> {
  const { pendingScenes, streams: streamCount, idleSeconds } = ctx.settings.memory;
  const uri = ctx.database.uriFor('memory');
  const [server] = await ctx.cluster.startServers([{ name: 'server-M', mongodbUri: uri, mode: 'safe' }], ctx.simulator.url);
  const streams: ScanStream[] = [];
  try {
    ctx.progress(`memory: ${pendingScenes} pending scenes into the database`);
    const scenes = (await seedPendingScenes(uri, pendingScenes, streamCount + 1)).map((scene) => ({ ...scene, serverUrl: server!.url }));
    // Has a binding cookie but no stream: what a poll from another page sees meanwhile.
    const probeScene = scenes[streamCount]!;
    // Warm up the routes the measurement uses, then the baseline.
    for (let index = 0; index < 50; index += 1) await getScanResult(probeScene);
    const baseline = await server!.call('usage', { collectGarbage: true });
    const idleBefore = await idleCpu(server!, idleSeconds);
    const probeBefore = await sequentialPolls(probeScene);
    ctx.progress(`memory: the server's query shapes on ${pendingScenes} scenes`);
    const shapes = await measureQueryShapes(
      await ctx.database.open('memory'),
      scenes.slice(streamCount + 1).map((scene) => scene.sceneId),
      scenes.slice(0, streamCount).map((scene) => scene.sceneId),
    );

    ctx.progress(`memory: ${streamCount} push channels (SSE) open on one instance`);
    const withStreams = scenes.slice(0, streamCount);
    await mapConcurrently(withStreams, 50, async (scene) => {
      const stream = openScanStream(scene);
      streams.push(stream);
      await stream.opened;
    });
    const waiting = await waitForWaitingBrowsers(server!, streamCount);
    await sleep(1000);
    const idle = await idleCpu(server!, idleSeconds);
    const probeLatency = await sequentialPolls(probeScene);
    const loaded = await server!.call('usage', { collectGarbage: false });
    const afterGc = await server!.call('usage', { collectGarbage: true });
    const bareRss = (await ctx.bare.reference()).usage.rssBytes;
    const cpu = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(0)} %`);
    return {
      rows: [
        ...shapes.rows,
        row('RSS of one instance, idle after warm-up', mib(baseline.rssBytes), { ratio: `${(baseline.rssBytes / bareRss).toFixed(1)}× bare` }),
        row(`RSS with ${pendingScenes.toLocaleString('en-US')} pending scenes + ${streamCount.toLocaleString('en-US')} open SSE`, mib(loaded.rssBytes), {
          ratio: `${(loaded.rssBytes / bareRss).toFixed(1)}× bare`,
          target: 'reported',
          // Only a failure when the streams did not all register: then the figure is not what it says.
          ...(waiting < streamCount ? { pass: false } : {}),
        }),
        row(`Idle CPU with ${streamCount.toLocaleString('en-US')} waiting pages: server / database`, `${cpu(idle.serverPercent)} / ${cpu(idle.databasePercent)}`, {
          target: 'reported',
        }),
        row(`Sequential get-scan-result p50 / p99: alone → while ${streamCount.toLocaleString('en-US')} pages wait`, `${ms(probeBefore.p50)} / ${ms(probeBefore.p99)} → ${ms(probeLatency.p50)} / ${ms(probeLatency.p99)}`, {
          target: 'reported',
        }),
      ],
      notes: [
        `Memory: one fresh instance; ${pendingScenes} pending scenes inserted with the SceneStore; ${streamCount} scan-events streams opened ` +
          `(${waiting} registered as waiting). RSS ${mib(baseline.rssBytes)} → ${mib(loaded.rssBytes)} (peak ${mib(loaded.maxRssBytes)}); ` +
          `JS heap ${mib(baseline.heapUsedBytes)} → ${mib(afterGc.heapUsedBytes)} after GC. Bare Express process: ${mib(bareRss)}. ` +
          `Idle CPU over ${idleSeconds} s before the streams: server ${cpu(idleBefore.serverPercent)}, database ${cpu(idleBefore.databasePercent)}; ` +
          `with them: server ${cpu(idle.serverPercent)}, database ${cpu(idle.databasePercent)} (100 % = one core). ` +
          `${PROBE_REQUESTS} sequential get-scan-result before the streams: p50 ${ms(probeBefore.p50)}, p99 ${ms(probeBefore.p99)}, max ${ms(probeBefore.max)}; ` +
          `with them: p50 ${ms(probeLatency.p50)}, p99 ${ms(probeLatency.p99)}, max ${ms(probeLatency.max)}.`,
        shapes.note,
      ],
    };
  } finally {
    for (const stream of streams) stream.close();
    await ctx.cluster.stop(server!);
  }
}
