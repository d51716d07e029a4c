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
import type { BenchContext, ResultRow, ScenarioResult } from './scenario.js';
import { benchAccessToken } from './scenarios/access-token.js';
import { benchGetScanResult } from './scenarios/get-scan-result.js';
import { benchMemory } from './scenarios/memory.js';
import { benchScanLatency } from './scenarios/scan-latency.js';
import { benchWebhook } from './scenarios/webhook.js';
import { benchSettings } from './settings.js';
import { benchTempDir, removeStaleTempDirs } from './temp-dirs.js';

const scenarios: Array<[string, (ctx: BenchContext) => Promise<ScenarioResult>]> = [
  ['get-scan-result throughput', benchGetScanResult],
  ['webhook', benchWebhook],
  ['scan-to-page latency', benchScanLatency],
  ['access token', benchAccessToken],
  ['memory', benchMemory],
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
    progress(`bare Express endpoint: autocannon ${settings.throughput.connections} connections, ${settings.throughput.durationSeconds} s`);
    const bareThroughput = await measureThroughput({ url: `${bareHandle.url}${BARE_PATH}`, ...settings.throughput }, [bareHandle]);
    const ctx: BenchContext = {
      settings,
      database,
      cluster,
      simulator,
      bare: { handle: bareHandle, throughput: bareThroughput, usage: await bareHandle.call('usage', { collectGarbage: false }) },
      progress,
    };

    const rows: ResultRow[] = [];
    const notes: string[] = [`Bare Express endpoint: GET returning the same JSON as a pending get-scan-result, no middleware; same autocannon settings. ${bareThroughput.cpuNote}.`];
    const failures: string[] = [];
    for (const [name, run] of scenarios) {
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
    progress(`written to ${await writeReport(repoRoot, markdown)}`);
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
