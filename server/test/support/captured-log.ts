import { createLogger, type Logger } from '../../src/logger.js';

export interface CapturedLog {
  /** A logger configured as production's (same redaction), writing here instead of stdout. */
  logger: Logger;
  /** Every line written so far, as the raw JSON text. */
  text(): string;
  /** The parsed lines written so far. */
  entries(): Array<Record<string, unknown>>;
}

export function capturedLog(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const logger = createLogger(level, {}, { write: (line: string) => void lines.push(line) });
  return {
    logger,
    text: () => lines.join(''),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Polls until `check` passes or the bound runs out: log lines are written when a response finishes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
