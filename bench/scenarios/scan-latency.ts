import { getQrcode, getScanResult, mapConcurrently, type IssuedScene } from '../browser-client.js';
import type { ServerHandle } from '../cluster.js';
import { epochNowMs } from '../clock.js';
import { startCpuWindow } from '../cpu-meter.js';
import { newWechatId, row, sleep, withServers, WEBHOOK_PATH, withTimeout, type BenchContext, type ResultRow, type ScenarioResult } from '../scenario.js';
import type { PushOutcome } from '../simulator-process.js';
import { openScanStream } from '../sse-client.js';
import { ms, summarize, type Summary } from '../stats.js';

const DATABASE = 'latency';
const MEDIAN_TARGET_MS = 100;
/** A page that has not heard of its scan this long after the push is counted as missed. */
const WAIT_FOR_PAGE_MS = 10_000;

type Channel = 'sse' | 'polling';

/** One login: when WeChat sent the push, when it had the answer, when the page knew. */
interface Login {
  outcome: PushOutcome;
  page: { atMs: number; openid: string | null } | null;
  openid: string;
}

interface LatencyRun {
  /** From the webhook's answer to WeChat until the page has the scan (negative: the page was first). */
  afterAnswer: Summary;
  /** From WeChat sending the push until the page has the scan. */
  afterPush: Summary;
  logins: number;
  failedPushes: number;
  missed: number;
  wrongUser: number;
  cpuNote: string;
}

/** The page's side: the push channel, or get-scan-result every interval from a random phase. */
function watchPage(scene: IssuedScene, channel: Channel, pollIntervalMs: number): { ready: Promise<void>; seen: Promise<Login['page']>; stop(): void } {
  if (channel === 'sse') {
    const stream = openScanStream(scene);
    const seen = stream.settled.then((event) => (event.event === 'scan' ? { atMs: event.atMs, openid: event.data?.openid ?? null } : null));
    return { ready: stream.opened, seen, stop: () => stream.close() };
  }
  let stopped = false;
  const seen = (async () => {
    // The scan comes at a random moment of the page's polling cycle.
    let nextMs = epochNowMs() + Math.random() * pollIntervalMs;
    while (!stopped) {
      await sleep(Math.max(0, nextMs - epochNowMs()));
      nextMs += pollIntervalMs;
      const answer = await getScanResult(scene);
      if (answer.scanned) return { atMs: epochNowMs(), openid: answer.openid };
    }
    return null;
  })();
  return { ready: Promise.resolve(), seen, stop: () => void (stopped = true) };
}

async function oneLogin(ctx: BenchContext, pageServer: ServerHandle, channel: Channel): Promise<Login> {
  const scene = await getQrcode(pageServer.url);
  const page = watchPage(scene, channel, ctx.settings.scanLatency.pollIntervalMs);
  try {
    await page.ready;
    const openid = newWechatId();
    const [outcome] = await ctx.simulator.call('scan', {
      requests: [{ qrcodeContent: scene.qrcodeContent, openid, unionid: null, withRetry: false }],
      mode: 'safe',
      concurrency: 1,
    });
    const seen = outcome!.status === 200 ? await withTimeout(page.seen, WAIT_FOR_PAGE_MS, 'scan on the page').catch(() => null) : null;
    return { outcome: outcome!, page: seen, openid };
  } finally {
    page.stop();
  }
}

async function measure(ctx: BenchContext, pageServer: ServerHandle, webhookServer: ServerHandle, channel: Channel): Promise<LatencyRun> {
  const { logins, concurrentLogins } = ctx.settings.scanLatency;
  await ctx.simulator.call('setWebhook', { url: `${webhookServer.url}${WEBHOOK_PATH}` });
  const stopCpu = await startCpuWindow(pageServer === webhookServer ? [pageServer, ctx.simulator] : [pageServer, webhookServer, ctx.simulator]);
  const results = await mapConcurrently(Array.from({ length: logins }), concurrentLogins, () => oneLogin(ctx, pageServer, channel));
  const cpuNote = await stopCpu();
  const seen = results.filter((login) => login.page !== null);
  return {
    afterAnswer: summarize(seen.map((login) => login.page!.atMs - login.outcome.answeredAtMs)),
    afterPush: summarize(seen.map((login) => login.page!.atMs - login.outcome.sentAtMs)),
    logins: results.length,
    failedPushes: results.filter((login) => login.outcome.status !== 200).length,
    missed: results.filter((login) => login.outcome.status === 200 && login.page === null).length,
    // With phone confirmation on (the default) the page learns of the scan without the identity,
    // which it only gets once confirmed: check it where the page has it.
    wrongUser: seen.filter((login) => login.page!.openid !== null && login.page!.openid !== login.openid).length,
    cpuNote,
  };
}

function latencyRow(label: string, run: LatencyRun, hasTarget: boolean): ResultRow {
  const complete = run.missed === 0 && run.wrongUser === 0 && run.failedPushes === 0;
  return row(`Scan → page, ${label}: median / p99`, `${ms(Math.max(0, run.afterAnswer.p50))} / ${ms(Math.max(0, run.afterAnswer.p99))}`, {
    target: hasTarget ? `median < ${MEDIAN_TARGET_MS} ms` : 'reference (~1 s)',
    ...(hasTarget ? { pass: run.afterAnswer.p50 < MEDIAN_TARGET_MS && complete } : {}),
  });
}

function latencyNote(label: string, run: LatencyRun): string {
  return (
    `Scan → page, ${label}: ${run.afterAnswer.count} of ${run.logins} logins reached the page (${run.failedPushes} pushes not answered 200, ` +
    `${run.missed} answered but never shown, ${run.wrongUser} with the wrong user). After the webhook's answer: p50 ${ms(run.afterAnswer.p50)}, ` +
    `p90 ${ms(run.afterAnswer.p90)}, p99 ${ms(run.afterAnswer.p99)}, max ${ms(run.afterAnswer.max)}, min ${ms(run.afterAnswer.min)} ` +
    `(negative: the page knew before WeChat had the answer). After the push was sent: p50 ${ms(run.afterPush.p50)}, p99 ${ms(run.afterPush.p99)}. ${run.cpuNote}.`
  );
}

/** From the scan's webhook answer to the page knowing: push channel (SSE) across and within instances, and 2 s polling. */
export async function benchScanLatency(ctx: BenchContext): Promise<ScenarioResult> {
  const { logins, concurrentLogins, pollIntervalMs } = ctx.settings.scanLatency;
  const specs = [
    { name: 'server-A', mode: 'safe' as const },
    { name: 'server-B', mode: 'safe' as const },
  ];
  return withServers(ctx, DATABASE, specs, async ([serverA, serverB]) => {
    ctx.progress(`scan → page: ${logins} logins, ${concurrentLogins} at a time, SSE on A, webhook on B`);
    const cross = await measure(ctx, serverA!, serverB!, 'sse');
    ctx.progress(`scan → page: ${logins} logins, SSE and webhook on A`);
    const same = await measure(ctx, serverA!, serverA!, 'sse');
    ctx.progress(`scan → page: ${logins} logins, ${pollIntervalMs / 1000} s polling on A, webhook on B`);
    const polling = await measure(ctx, serverA!, serverB!, 'polling');
    const scenes = await (await ctx.database.open(DATABASE)).collection('wechat_scenes').countDocuments({});
    const runs = [
      ['SSE, webhook on B, page on A', cross, true],
      ['SSE, same instance', same, true],
      [`${pollIntervalMs / 1000} s polling of get-scan-result`, polling, false],
    ] as const;
    return {
      rows: runs.map(([label, run, hasTarget]) => latencyRow(label, run, hasTarget)),
      notes: [
        `Scan → page: per case ${logins} logins, ${concurrentLogins} in flight at a time; each page gets a QR code (on A), opens its channel, ` +
          `then the simulated phone scans (safe mode). Measured from the moment WeChat (the simulator) had the webhook's answer to the moment the page had ` +
          `the scan; the table shows negative values as 0. A fresh database; ${scenes.toLocaleString('en-US')} scenes in it at the end.`,
        ...runs.map(([label, run]) => latencyNote(label, run)),
      ],
    };
  });
}
