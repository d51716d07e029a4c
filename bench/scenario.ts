import { WECHAT_PUBLIC_PATH, WECHAT_PUBLIC_ROUTES } from '@wechat-login/shared';
import { randomBytes } from 'node:crypto';
import type { BareHandle, Cluster, ServerHandle, ServerSpec, SimulatorHandle } from './cluster.js';
import type { BenchDatabase } from './database.js';
import type { ThroughputResult } from './load.js';
import type { ProcessUsage } from './process-usage.js';
import type { BenchSettings } from './settings.js';

/** One line of the results table. */
export interface ResultRow {
  figure: string;
  value: string;
  /** The figure relative to the bare Express endpoint of the same run, where one compares. */
  ratio: string;
  target: string;
  verdict: 'pass' | 'FAIL' | '—';
}

export interface ScenarioResult {
  rows: ResultRow[];
  /** How it was measured and what was verified: printed under the table. */
  notes: string[];
}

/** One entry of `npm run bench`: `id` is what `--only` takes. */
export interface BenchScenario {
  id: string;
  name: string;
  /** Compares with the bare Express reference (measured before the first scenario when one of the run does). */
  usesBareReference: boolean;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

/** What the server's figures are compared with: the bare endpoint under the same load, and its memory after it. */
export interface BareReference {
  throughput: ThroughputResult;
  usage: ProcessUsage;
}

/** What every scenario gets from the orchestrator. */
export interface BenchContext {
  settings: BenchSettings;
  database: BenchDatabase;
  cluster: Cluster;
  simulator: SimulatorHandle;
  /**
   * The bare Express process; `reference()` measures its throughput (and then its memory) the first
   * time a scenario asks, and gives the same result afterwards.
   */
  bare: { handle: BareHandle; reference(): Promise<BareReference> };
  progress(message: string): void;
}

/**
 * Server processes of one scenario, on a database of the scenario's own (so no
 * figure depends on what ran before), stopped when `use` returns.
 */
export async function withServers<T>(
  ctx: BenchContext,
  databaseName: string,
  specs: Array<Omit<ServerSpec, 'mongodbUri'>>,
  use: (servers: ServerHandle[]) => Promise<T>,
): Promise<T> {
  const mongodbUri = ctx.database.uriFor(databaseName);
  const servers = await ctx.cluster.startServers(
    specs.map((spec) => ({ ...spec, mongodbUri })),
    ctx.simulator.url,
  );
  try {
    return await use(servers);
  } finally {
    await Promise.all(servers.map((server) => ctx.cluster.stop(server)));
  }
}

export const WEBHOOK_PATH = `${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.webhook}`;

export function row(figure: string, value: string, options: { ratio?: string; target?: string; pass?: boolean } = {}): ResultRow {
  return {
    figure,
    value,
    ratio: options.ratio ?? '—',
    target: options.target ?? '—',
    verdict: options.pass === undefined ? '—' : options.pass ? 'pass' : 'FAIL',
  };
}

/** An openid (or unionid) shaped like WeChat's: 'o' + 27 URL-safe characters. */
export function newWechatId(): string {
  return `o${randomBytes(21).toString('base64url').slice(0, 27)}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
