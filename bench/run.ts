/**
 * `npm run bench`: starts a fresh database, the WeChat simulator, a bare Express
 * process and the server processes, runs every scenario against them over
 * loopback, and prints a markdown table (also written to bench/results/latest.md).
 */
import { rm } from 'node:fs/promises';
import { BARE_PATH } from './bare-paths.js';
import { getQrcode } from './browser-client.js';
import { killAllChildren, repoRoot } from './child.js';
import { Cluster } from './cluster.js';
import { codeVersion } from './code-version.js';
import { startBenchDatabase, type BenchDatabase } from './database.js';
import { measureThroughput } from './load.js';
import { renderReport, writeChildLogs, writeReport } from './report.js';
import type { BareReference, BenchContext, BenchScenario, ResultRow } from './scenario.js';
import { selectScenarios } from './scenario-selection.js';
import { benchAccessToken } from './scenarios/access-token.js';
import { benchGetScanResult } from './scenarios/get-scan-result.js';
import { benchMemory } from './scenarios/memory.js';
import { benchScanLatency } from './scenarios/scan-latency.js';
import { benchSignInPage } from './scenarios/sign-in-page.js';
import { benchWebhook } from './scenarios/webhook.js';
import { benchSettings } from './settings.js';
import { benchTempDir, removeStaleTempDirs } from './temp-dirs.js';

const scenarios: BenchScenario[] = [
  { id: 'get-scan-result', name: 'get-scan-result throughput', usesBareReference: true, run: benchGetScanResult },
  { id: 'webhook', name: 'webhook', usesBareReference: true, run: benchWebhook },
  { id: 'scan-latency', name: 'scan-to-page latency', usesBareReference: false, run: benchScanLatency },
  { id: 'access-token', name: 'access token', usesBareReference: false, run: benchAccessToken },
  { id: 'memory', name: 'memory', usesBareReference: true, run: benchMemory },
  { id: 'sign-in-page', name: 'sign-in page on a phone', usesBareReference: false, run: benchSignInPage },
];

const startedAt = new Date();
const progress = (message: string) => process.stderr.write(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

let cleanup: (() => Promise<void>) | null = null;
process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping every child process`);
    void (cleanup ?? (async () => {}))().finally(() => process.exit(130));
  });
}

/** Every request comes from 127.0.0.1: with per-IP limits on, the figures would measure 429s. */
async function assertNotRateLimited(serverUrl: string): Promise<void> {
  if ((await getQrcode(serverUrl)).rateLimited) {
    throw new Error('the servers still apply per-IP rate limits (RateLimit-Limit header): check the variable that turns them off in bench/cluster.ts');
  }
}

async function main(): Promise<number> {
  const settings = benchSettings();
  const { selected, only } = selectScenarios(scenarios, process.argv.slice(2), process.env);
  const codeAtStart = codeVersion(repoRoot);
  await removeStaleTempDirs();
  const dataDir = await benchTempDir('data');
  const cluster = new Cluster(dataDir);
  let database: BenchDatabase | undefined;
  cleanup = async () => {
    await cluster.stopAll().catch(() => undefined);
    await database?.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    progress('starting a fresh database');
    database = await startBenchDatabase(progress);
    progress(`database: ${database.description}`);
    const [simulator, bareHandle] = await Promise.all([cluster.startSimulator(), cluster.startBare(database.baseUri)]);
    const [probe] = await cluster.startServers([{ name: 'server-check', mongodbUri: database.uriFor('check'), mode: 'safe' }], simulator.url);
    await assertNotRateLimited(probe!.url);
    await cluster.stop(probe!);
    // Measured on the quiet machine before the first scenario, and only when one of the run compares with it.
    let bareReference: Promise<BareReference> | undefined;
    const measureBareReference = async (): Promise<BareReference> => {
      progress(`bare Express endpoint: autocannon ${settings.throughput.connections} connections, ${settings.throughput.durationSeconds} s`);
      const throughput = await measureThroughput({ url: `${bareHandle.url}${BARE_PATH}`, ...settings.throughput }, [bareHandle]);
      return { throughput, usage: await bareHandle.call('usage', { collectGarbage: false }) };
    };
    const ctx: BenchContext = {
      settings,
      database,
      cluster,
      simulator,
      bare: { handle: bareHandle, reference: () => (bareReference ??= measureBareReference()) },
      progress,
    };

    if (selected.some((scenario) => scenario.usesBareReference)) await ctx.bare.reference();

    const rows: ResultRow[] = [];
    const notes: string[] = only ? [`Only these scenarios ran (--only): ${only.join(', ')}.`] : [];
    const failures: string[] = [];
    for (const { name, run } of selected) {
      progress(`scenario: ${name}`);
      try {
        const result = await run(ctx);
        rows.push(...result.rows);
        notes.push(...result.notes);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        progress(`scenario ${name} failed: ${message}`);
        failures.push(`${name}: ${message.split('\n')[0]}`);
      }
    }

    const bare = await bareReference?.catch(() => undefined);
    if (bare) notes.unshift(`Bare Express endpoint: GET returning the same JSON as a pending get-scan-result, no middleware; same autocannon settings. ${bare.throughput.cpuNote}.`);

    const markdown = renderReport({
      startedAt,
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      databaseDescription: database.description,
      codeAtStart,
      codeAtEnd: codeVersion(repoRoot),
      settings,
      rows,
      notes,
      serverLogs: cluster.started.flatMap((child) =>
        [...child.log.messages].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([message, count]) => `${child.name}: ${count}× ${message.slice(0, 300)}`),
      ),
      failures,
    });
    process.stdout.write(`${markdown}\n`);
    // A partial run keeps the last full table (latest.md) and writes beside it.
    progress(`written to ${await writeReport(repoRoot, markdown, only ? `only-${only.join('+')}.md` : undefined)}`);
    const logs = cluster.started.map((child) => ({ name: child.name, lines: child.log.kept }));
    progress(`server warnings and errors in ${await writeChildLogs(repoRoot, logs)}`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    await cleanup();
    cleanup = null;
  }
}

process.exitCode = await main().catch((error: unknown) => {
  progress(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
