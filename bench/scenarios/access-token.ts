import { getQrcode } from '../browser-client.js';
import { epochNowMs } from '../clock.js';
import { row, type BenchContext, type ScenarioResult } from '../scenario.js';
import { ms, summarize } from '../stats.js';

/**
 * A burst of get-qrcode calls on several fresh instances sharing a database
 * with no token in it yet: how many times is WeChat asked for an access token?
 */
export async function benchAccessToken(ctx: BenchContext): Promise<ScenarioResult> {
  const { calls, instances } = ctx.settings.accessToken;
  const uri = ctx.database.uriFor('token');
  const servers = await ctx.cluster.startServers(
    Array.from({ length: instances }, (_, index) => ({ name: `server-T${index + 1}`, mongodbUri: uri, mode: 'safe' as const })),
    ctx.simulator.url,
  );
  try {
    await ctx.simulator.call('resetStats');
    ctx.progress(`access token: ${calls} concurrent get-qrcode over ${instances} fresh instances`);
    const startMs = epochNowMs();
    const answers = await Promise.allSettled(Array.from({ length: calls }, (_, index) => getQrcode(servers[index % servers.length]!.url)));
    const wallMs = epochNowMs() - startMs;
    const stats = await ctx.simulator.call('stats');
    const fetches = stats.tokenFetches + stats.stableTokenFetches;
    const succeeded = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
    const failed = answers.length - succeeded.length;
    const latency = summarize(succeeded.map((answer) => answer.latencyMs));
    const firstFailure = answers.find((answer) => answer.status === 'rejected');
    return {
      rows: [
        row(`Access token fetches for ${calls.toLocaleString('en-US')} concurrent get-qrcode on ${instances} instances`, String(fetches), {
          target: '1',
          pass: fetches === 1 && failed === 0,
        }),
        row(`get-qrcode during that burst (cold token): p50 / p99`, `${ms(latency.p50)} / ${ms(latency.p99)}`, { target: 'reported' }),
      ],
      notes: [
        `Access token: ${instances} new server processes on a new database (no token stored), ${calls} get-qrcode calls fired at once, ` +
          `round-robin, each as a new browser: ${succeeded.length} answered 200, ${failed} failed, in ${(wallMs / 1000).toFixed(2)} s. ` +
          `The simulator counted ${stats.stableTokenFetches} stable_token + ${stats.tokenFetches} token requests and ${stats.qrcodesCreated} QR codes created.` +
          (firstFailure?.status === 'rejected' ? ` First failure: ${String((firstFailure.reason as Error).message).slice(0, 200)}` : ''),
      ],
    };
  } finally {
    await Promise.all(servers.map((server) => ctx.cluster.stop(server)));
  }
}
