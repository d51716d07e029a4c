/**
 * Sizes and durations of every scenario. Sized so the whole run stays within
 * about 5 minutes on 2 cores; BENCH_QUICK=1 shrinks everything for a smoke run
 * (its figures are not comparable).
 */
export interface BenchSettings {
  quick: boolean;
  throughput: { connections: number; warmupSeconds: number; durationSeconds: number };
  /** Events per mode: what the warm-up rate achieves in `targetSeconds`, within [min, max]. */
  webhook: {
    minEventsPerMode: number;
    maxEventsPerMode: number;
    targetSeconds: number;
    concurrency: number;
    retryFraction: number;
    warmupEvents: number;
    /** Afterwards, this many pushes one at a time: the latency without queueing. */
    sequentialEvents: number;
    /** Then pushes arriving at this steady rate for this long (open loop): the latency at a given load. */
    steadyRatePerSecond: number;
    steadySeconds: number;
  };
  /** `concurrentLogins` pages wait for their scan at any moment. */
  scanLatency: { logins: number; concurrentLogins: number; pollIntervalMs: number };
  accessToken: { calls: number; instances: number };
  memory: { pendingScenes: number; streams: number; idleSeconds: number };
  /** Page loads in Chromium over the emulated slow-4G network: each figure is the median of `runs` visits. */
  signInPage: { runs: number };
}

const full: BenchSettings = {
  quick: false,
  throughput: { connections: 50, warmupSeconds: 2, durationSeconds: 8 },
  webhook: { minEventsPerMode: 100, maxEventsPerMode: 3000, targetSeconds: 10, concurrency: 50, retryFraction: 0.1, warmupEvents: 50, sequentialEvents: 100, steadyRatePerSecond: 100, steadySeconds: 5 },
  scanLatency: { logins: 200, concurrentLogins: 10, pollIntervalMs: 2000 },
  accessToken: { calls: 1000, instances: 3 },
  memory: { pendingScenes: 10_000, streams: 1000, idleSeconds: 3 },
  signInPage: { runs: 3 },
};

const quick: BenchSettings = {
  quick: true,
  throughput: { connections: 50, warmupSeconds: 1, durationSeconds: 2 },
  webhook: { minEventsPerMode: 100, maxEventsPerMode: 300, targetSeconds: 4, concurrency: 50, retryFraction: 0.1, warmupEvents: 50, sequentialEvents: 30, steadyRatePerSecond: 100, steadySeconds: 2 },
  scanLatency: { logins: 50, concurrentLogins: 10, pollIntervalMs: 2000 },
  accessToken: { calls: 300, instances: 3 },
  memory: { pendingScenes: 1000, streams: 200, idleSeconds: 2 },
  signInPage: { runs: 1 },
};

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  return env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true' ? quick : full;
}
