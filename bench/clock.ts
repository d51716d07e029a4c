/**
 * Milliseconds since the epoch with sub-millisecond resolution, comparable
 * across the bench's processes on one machine (they share the wall clock; each
 * adds its own monotonic offset).
 */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
