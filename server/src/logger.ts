import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

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

/** `destination` defaults to stdout; tests pass a stream to read what production would write. */
export function createLogger(level: string, options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'wechat-mp-login' },
    ...options,
  };
  return destination ? pino(settings, destination) : pino(settings);
}

/** A logger that writes nothing, for tests and for code called without one. */
export const silentLogger: Logger = pino({ level: 'silent' });

export type { Logger };
