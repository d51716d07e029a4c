import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets must never
 * reach a log line: request cookies, auth headers, passwords, tokens.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.secret',
  '*.access_token',
  '*.accessToken',
  '*.token',
  '*.encodingAESKey',
  'password',
  'secret',
  'accessToken',
  'access_token',
];

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  return pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'wechat-mp-login' },
    ...options,
  });
}

/** A logger that writes nothing, for tests and for code called without one. */
export const silentLogger: Logger = pino({ level: 'silent' });

export type { Logger };
