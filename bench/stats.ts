/** Latency summaries by nearest rank: p99 of 200 samples is the 198th smallest. */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

export const ms = (value: number): string => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : 'n/a');
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
export function ratio(value: number, reference: number): string {
  if (!(reference > 0) || !Number.isFinite(value)) return '—';
  const percent = (100 * value) / reference;
  return `${percent.toFixed(percent < 10 ? 1 : 0)} %`;
}
export const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en-US')}/s`;
/** Kilobytes of 1,000 bytes, as the page-weight targets are written. */
export const kB = (bytes: number): string => `${(bytes / 1000).toFixed(bytes < 100_000 ? 1 : 0)} kB`;
export const seconds = (valueMs: number): string => (Number.isFinite(valueMs) ? `${(valueMs / 1000).toFixed(2)} s` : 'n/a');
/** The middle value (the lower of the two middles for an even count). */
export const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50);
