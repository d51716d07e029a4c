import type { BenchChild } from './child.js';
import { epochNowMs } from './clock.js';
import type { IpcApi } from './ipc.js';
import { cpuTimeMs, findDescendants } from './proc-cpu.js';
import type { ProcessUsage } from './process-usage.js';

type Measured = BenchChild<IpcApi & { usage(options: { collectGarbage: boolean }): ProcessUsage }>;

async function cpuMsOf(child: Measured): Promise<number> {
  const usage = await child.call('usage', { collectGarbage: false });
  return (usage.cpuUserMicros + usage.cpuSystemMicros) / 1000;
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Where the machine's CPU went during a measurement: each server, the simulator,
 * the database (from /proc, Linux only) and the load generator (this process).
 * Call start() before and the returned stop() after; 100 % = one core.
 */
export async function startCpuWindow(children: Measured[]): Promise<() => Promise<string>> {
  const databasePids = [...findDescendants('ferretdb'), ...findDescendants('mongod')];
  const before = await Promise.all(children.map(cpuMsOf));
  const databaseBefore = cpuTimeMs(databasePids);
  const ownBefore = ownCpuMs();
  const startMs = epochNowMs();
  return async () => {
    const elapsedMs = epochNowMs() - startMs;
    const after = await Promise.all(children.map(cpuMsOf));
    const databaseAfter = cpuTimeMs(databasePids);
    const percent = (ms: number) => `${((100 * ms) / elapsedMs).toFixed(0)} %`;
    const parts = children.map((child, index) => `${child.name} ${percent(after[index]! - before[index]!)}`);
    if (databaseBefore !== null && databaseAfter !== null) parts.push(`database ${percent(databaseAfter - databaseBefore)}`);
    parts.push(`load generator ${percent(ownCpuMs() - ownBefore)}`);
    return `CPU (100 % = one core): ${parts.join(', ')}`;
  };
}
