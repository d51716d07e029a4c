import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

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

/** JSON for machines (log collectors, `docker logs`, tests); pretty lines for a developer at a terminal. */
export type LogFormat = 'json' | 'pretty';

export interface LogFormatFacts {
  /** Someone reads stdout at a terminal (see `stdoutReachesTerminal`). */
  stdoutReachesTerminal: boolean;
  nodeEnv: string;
  /** pino-pretty is a devDependency: the Docker image, installed with --omit=dev, does not have it. */
  prettyInstalled: boolean;
}

/** Pretty only for a person at a terminal outside production, and only when pino-pretty is there to ask for. */
export function chooseLogFormat(facts: LogFormatFacts): LogFormat {
  return facts.stdoutReachesTerminal && facts.nodeEnv !== 'production' && facts.prettyInstalled ? 'pretty' : 'json';
}

/**
 * stdout is a TTY, or the parent that owns one says so through FORCE_COLOR: `npm run dev` runs the
 * server under concurrently, which pipes its output (no TTY) but sets FORCE_COLOR when its own
 * stdout is a colour terminal. FORCE_COLOR=0/false is the usual "no" of that convention.
 */
export function stdoutReachesTerminal(stdout: { isTTY?: boolean }, forceColor: string | undefined): boolean {
  if (stdout.isTTY === true) return true;
  return forceColor !== undefined && forceColor !== '0' && forceColor.toLowerCase() !== 'false';
}

/** The file pino's worker thread loads for pretty output, or undefined when pino-pretty is not installed. */
export function resolvePrettyModule(resolve: (id: string) => string = createRequire(import.meta.url).resolve): string | undefined {
  try {
    return resolve('pino-pretty');
  } catch {
    return undefined;
  }
}

/**
 * One line per entry: the message already carries its prefix (`[API]`, `[WeChat MP]`, `[WeChat
 * Webhook]`) and, for requests, method, path, status and time, so pino-http's req/res objects are
 * left to the JSON log. Other fields follow on the same line; errors keep their multi-line stack.
 */
const PRETTY_LOG_OPTIONS: PrettyOptions = {
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,service,req,res,responseTime',
  singleLine: true,
};

/**
 * pino-pretty in pino's worker thread. pino redacts before a line leaves this thread, so the
 * pretty output is redacted exactly as the JSON is. `destination` is a file descriptor or path
 * (stdout by default); `colorize` defaults to pino-pretty's own detection (TTY, FORCE_COLOR, NO_COLOR).
 */
export function prettyTransport(modulePath: string, output: { destination?: number | string; colorize?: boolean } = {}): ReturnType<typeof pino.transport> {
  return pino.transport({
    target: modulePath,
    options: { ...PRETTY_LOG_OPTIONS, destination: output.destination ?? 1, ...(output.colorize === undefined ? {} : { colorize: output.colorize }) },
  });
}

/** The server's logger on stdout: pretty or JSON as `chooseLogFormat` decides for this process. */
export function createStdoutLogger(level: string, nodeEnv: string): Logger {
  const prettyModule = resolvePrettyModule();
  const format = chooseLogFormat({
    stdoutReachesTerminal: stdoutReachesTerminal(process.stdout, process.env.FORCE_COLOR),
    nodeEnv,
    prettyInstalled: prettyModule !== undefined,
  });
  return createLogger(level, {}, format === 'pretty' && prettyModule ? prettyTransport(prettyModule) : undefined);
}

/** A logger that writes nothing, for tests and for code called without one. */
export const silentLogger: Logger = pino({ level: 'silent' });

export type { Logger };
