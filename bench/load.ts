import autocannon from 'autocannon';
import { startCpuWindow } from './cpu-meter.js';

/** One autocannon measurement against a GET endpoint (after a warm-up run that is thrown away). */
export interface ThroughputResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  total: number;
  /** Connection errors, timeouts and non-2xx answers: should all be 0. */
  failures: number;
  /** Where the CPU went during the measured run (not the warm-up). */
  cpuNote: string;
}

export interface ThroughputOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

async function runAutocannon(options: ThroughputOptions, durationSeconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    headers: options.headers,
    connections: options.connections,
    duration: durationSeconds,
    // Keep-alive, one request at a time per connection, as browsers do.
    pipelining: 1,
  });
}

export async function measureThroughput(options: ThroughputOptions, measured: Parameters<typeof startCpuWindow>[0]): Promise<ThroughputResult> {
  if (options.warmupSeconds > 0) await runAutocannon(options, options.warmupSeconds);
  const stopCpu = await startCpuWindow(measured);
  const result = await runAutocannon(options, options.durationSeconds);
  const cpuNote = await stopCpu();
  const seconds = result.duration || options.durationSeconds;
  return {
    requestsPerSecond: result.requests.total / seconds,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
    cpuNote,
  };
}
