import { BARE_DB_PATH } from '../bare-paths.js';
import { getQrcode, getScanResult, QR_ROUTES } from '../browser-client.js';
import { measureThroughput } from '../load.js';
import { row, withServers, type BenchContext, type ScenarioResult } from '../scenario.js';
import { ms, perSecond, ratio } from '../stats.js';

const DATABASE = 'poll';

/**
 * The browser's poll: GET get-scan-result for a pending scene with its binding
 * cookie, hammered by autocannon with the same settings as the bare endpoint;
 * then the bare process doing the same database read, to tell the database's
 * share from the server's.
 */
export async function benchGetScanResult(ctx: BenchContext): Promise<ScenarioResult> {
  return withServers(ctx, DATABASE, [{ name: 'server-A', mode: 'safe' }], async ([server]) => {
    const scene = await getQrcode(server!.url);
    const first = await getScanResult(scene);
    if (first.status !== 200 || first.scanned) throw new Error(`get-scan-result on a fresh scene answered ${first.status}, scanned=${first.scanned}`);

    const { connections, durationSeconds, warmupSeconds } = ctx.settings.throughput;
    ctx.progress(`get-scan-result: autocannon, ${connections} connections, ${durationSeconds} s`);
    const result = await measureThroughput(
      { url: `${scene.serverUrl}${QR_ROUTES}/get-scan-result?sceneId=${scene.sceneId}`, headers: { cookie: scene.cookie }, ...ctx.settings.throughput },
      [server!, ctx.simulator],
    );
    ctx.progress(`bare Express + the same findOne: autocannon, ${connections} connections, ${durationSeconds} s`);
    const bareDb = await measureThroughput(
      { url: `${ctx.bare.handle.url}${BARE_DB_PATH}?db=${ctx.database.nameFor(DATABASE)}&sceneId=${scene.sceneId}`, ...ctx.settings.throughput },
      [ctx.bare.handle, server!],
    );
    const bare = (await ctx.bare.reference()).throughput;
    const share = result.requestsPerSecond / bare.requestsPerSecond;
    return {
      rows: [
        row('Bare Express endpoint (reference): throughput', perSecond(bare.requestsPerSecond), { ratio: '100 %' }),
        row('Bare Express endpoint (reference): p50 / p99 latency', `${ms(bare.latencyP50Ms)} / ${ms(bare.latencyP99Ms)}`),
        row('Bare Express + findOne of the scene by _id (reference)', `${perSecond(bareDb.requestsPerSecond)}, p99 ${ms(bareDb.latencyP99Ms)}`, {
          ratio: ratio(bareDb.requestsPerSecond, bare.requestsPerSecond),
        }),
        row('get-scan-result, pending scene: throughput', perSecond(result.requestsPerSecond), {
          ratio: ratio(result.requestsPerSecond, bare.requestsPerSecond),
          target: '≥ 40 % of bare',
          pass: share >= 0.4 && result.failures === 0,
        }),
        row('get-scan-result, pending scene: p50 / p99 latency', `${ms(result.latencyP50Ms)} / ${ms(result.latencyP99Ms)}`, {
          ratio: `p99 ${(result.latencyP99Ms / Math.max(bare.latencyP99Ms, 1)).toFixed(1)}× bare`,
          target: 'reported',
        }),
      ],
      notes: [
        `get-scan-result: autocannon ${connections} connections, pipelining 1, ${durationSeconds} s after a ${warmupSeconds} s warm-up, one instance, ` +
          `one pending scene in a fresh database; ${result.total.toLocaleString('en-US')} requests, ${result.failures} errors/non-2xx ` +
          `(bare: ${bare.total.toLocaleString('en-US')} requests, ${bare.failures} failures). ${result.cpuNote}.`,
        `Bare Express + findOne: the bare process reads the same scene document by _id through the official driver (no middleware, no cookie check); ` +
          `${bareDb.total.toLocaleString('en-US')} requests, ${bareDb.failures} failures. ${bareDb.cpuNote}.`,
      ],
    };
  });
}
