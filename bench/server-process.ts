/**
 * One server instance for the bench, as `main.ts` runs it (config from the
 * environment, createRuntime, an HTTP server), on a free loopback port (or the
 * public URL's, when the orchestrator chose one), with
 * an IPC channel so the orchestrator can read its memory and CPU.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../server/src/config/config.js';
import { createLogger } from '../server/src/logger.js';
import { createRuntime } from '../server/src/runtime.js';
import { announceReady, serveIpc } from './ipc.js';
import { processUsage, type ProcessUsage } from './process-usage.js';

export interface ServerProcessApi {
  [method: string]: (payload: never) => unknown;
  usage(options: { collectGarbage: boolean }): ProcessUsage & { waitingBrowsers: number };
}

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
// BENCH_SERVE_SPA / BENCH_LISTEN_ON_PORT: set by cluster.ts for the scenarios that load pages in a browser.
const runtime = await createRuntime(config, logger, { serveSpa: process.env.BENCH_SERVE_SPA === '1' });
const server = createServer(runtime.app);
server.keepAliveTimeout = 65_000; // as main.ts
const port = process.env.BENCH_LISTEN_ON_PORT === '1' ? config.port : 0;
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop()); // the orchestrator is gone

serveIpc({
  usage: ({ collectGarbage }: { collectGarbage: boolean }) => ({
    ...processUsage(collectGarbage),
    waitingBrowsers: runtime.wechat?.notifier.waitingCount ?? 0,
  }),
} satisfies ServerProcessApi);
announceReady(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
