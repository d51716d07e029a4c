import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of processes we did not start through Node (the embedded FerretDB
 * or mongod), read from /proc. Linux only: elsewhere the figure is left out.
 */
const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux we run on

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Descendants of this process whose command name contains `name`. */
export function findDescendants(name: string, root = process.pid): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const parentOf = new Map<number, number>();
  const commOf = new Map<number, string>();
  for (const entry of entries) {
    const pid = Number(entry);
    const fields = statFields(pid);
    if (!fields) continue;
    parentOf.set(pid, Number(fields[1]));
    try {
      commOf.set(pid, readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let current = parentOf.get(pid); current !== undefined && current > 1; current = parentOf.get(current)) {
      if (current === root) return true;
    }
    return false;
  };
  return [...commOf].filter(([pid, comm]) => comm.includes(name) && descends(pid)).map(([pid]) => pid);
}

/** User + system CPU time of `pids`, in milliseconds, or null when /proc cannot tell. */
export function cpuTimeMs(pids: number[]): number | null {
  if (pids.length === 0) return null;
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) return null;
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
