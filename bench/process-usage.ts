/** Memory and CPU of the current process, as a child reports them over IPC. */
export interface ProcessUsage {
  rssBytes: number;
  heapUsedBytes: number;
  /** Peak resident set size since the process started. */
  maxRssBytes: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
}

export function processUsage(collectGarbage: boolean): ProcessUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (collectGarbage && gc) gc();
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuUserMicros: cpu.user,
    cpuSystemMicros: cpu.system,
  };
}
