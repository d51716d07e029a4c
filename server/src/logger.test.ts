import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, createLogger, prettyTransport, resolvePrettyModule, stdoutReachesTerminal } from './logger.js';
import { serverDir } from './paths.js';

const execFileAsync = promisify(execFile);

// Values that must never be printed, placed where each redaction path looks for them.
const SECRETS = {
  account: { password: 'pw-hunter2', newPassword: 'pw-new-hunter3' },
  wechat: { secret: 'app-secret-41c2', encodingAESKey: 'aes-key-9f8e', access_token: 'wx-token-77aa' },
  session: { token: 'session-token-5d5d' },
  accessToken: 'top-level-token-1b1b',
};
const SECRET_VALUES = ['pw-hunter2', 'pw-new-hunter3', 'app-secret-41c2', 'aes-key-9f8e', 'wx-token-77aa', 'session-token-5d5d', 'top-level-token-1b1b'];
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

describe('chooseLogFormat', () => {
  const developer = { stdoutReachesTerminal: true, nodeEnv: 'development', prettyInstalled: true };

  it('is pretty for a developer at a terminal with pino-pretty installed', () => {
    expect(chooseLogFormat(developer)).toBe('pretty');
    expect(chooseLogFormat({ ...developer, nodeEnv: 'test' })).toBe('pretty');
  });

  it('is JSON when stdout goes to a pipe or a file (log collectors, test harnesses, the benchmark)', () => {
    expect(chooseLogFormat({ ...developer, stdoutReachesTerminal: false })).toBe('json');
  });

  it('is JSON in production even at a terminal (docker run -it, a shell on the server)', () => {
    expect(chooseLogFormat({ ...developer, nodeEnv: 'production' })).toBe('json');
  });

  it('is JSON when pino-pretty is not installed (the Docker image has production dependencies only)', () => {
    expect(chooseLogFormat({ ...developer, prettyInstalled: false })).toBe('json');
  });
});

describe('stdoutReachesTerminal', () => {
  it('is true for a TTY', () => {
    expect(stdoutReachesTerminal({ isTTY: true }, undefined)).toBe(true);
    expect(stdoutReachesTerminal({ isTTY: true }, '0')).toBe(true);
  });

  it('is false for a pipe, unless a parent owning a terminal sets FORCE_COLOR (concurrently in npm run dev)', () => {
    expect(stdoutReachesTerminal({}, undefined)).toBe(false);
    expect(stdoutReachesTerminal({ isTTY: false }, undefined)).toBe(false);
    for (const value of ['1', '2', '3', 'true', '']) expect(stdoutReachesTerminal({}, value)).toBe(true);
  });

  it('takes FORCE_COLOR=0 or false as a no', () => {
    for (const value of ['0', 'false', 'FALSE']) expect(stdoutReachesTerminal({}, value)).toBe(false);
  });
});

describe('resolvePrettyModule', () => {
  it('finds pino-pretty where devDependencies are installed', () => {
    expect(resolvePrettyModule()).toMatch(/[/\\]pino-pretty[/\\]index\.js$/);
  });

  it('is undefined when pino-pretty cannot be resolved, instead of throwing', () => {
    const missing = (id: string): string => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(resolvePrettyModule(missing)).toBeUndefined();
  });
});

describe('the pretty transport', () => {
  it('writes readable lines that keep the log prefixes, with every secret redacted', async () => {
    const prettyModule = resolvePrettyModule();
    expect(prettyModule).toBeDefined();
    const dir = await mkdtemp(join(tmpdir(), 'pretty-log-'));
    try {
      const file = join(dir, 'server.log');
      const transport = prettyTransport(prettyModule!, { destination: file, colorize: false });
      const logger = createLogger('info', {}, transport);
      logger.info(SECRETS, '[WeChat MP] access token refreshed');
      logger.warn({ code: 'WECHAT_SIGNATURE_INVALID', ...SECRETS }, '[WeChat Webhook] refused: bad signature');
      logger.child({ reqId: 'r-1' }).info(SECRETS, '[API] GET /api/v1/pub/mp/qrcode 200 3ms');
      // Ending the transport waits for the worker thread to write everything and close the file.
      const closed = once(transport, 'close');
      transport.end();
      await closed;

      const text = await readFile(file, 'utf8');
      const lines = text.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[WeChat MP\] access token refreshed \{/);
      expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: \[WeChat Webhook\] refused: bad signature \{"code":"WECHAT_SIGNATURE_INVALID"/);
      expect(lines[2]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[API\] GET \/api\/v1\/pub\/mp\/qrcode 200 3ms \{"reqId":"r-1"/);
      for (const value of SECRET_VALUES) expect(text).not.toContain(value);
      expect(text.match(/\[redacted\]/g)).toHaveLength(SECRET_VALUES.length * 3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('createStdoutLogger in a real process', () => {
  /** A process that logs a secret and exits at once, as main.ts does when start-up fails. */
  async function stdoutOf(env: Record<string, string>): Promise<string> {
    const script = [
      "import { createStdoutLogger } from './src/logger.ts';",
      "const logger = createStdoutLogger('info', process.env.NODE_ENV);",
      `logger.fatal(${JSON.stringify(SECRETS)}, '[API] start-up failed: no database');`,
      'process.exit(1);',
    ].join('\n');
    const result = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: serverDir,
      env: { PATH: process.env.PATH ?? '', ...env },
    }).then(
      () => ({ stdout: '', exitCode: 0 }),
      (error: { stdout: string; code: number }) => ({ stdout: error.stdout, exitCode: error.code }),
    );
    expect(result.exitCode).toBe(1);
    for (const value of SECRET_VALUES) expect(result.stdout).not.toContain(value);
    return result.stdout.replace(ANSI_ESCAPE, '');
  }

  it('is pretty, redacted and flushed before exit when a parent with a terminal sets FORCE_COLOR in development', async () => {
    const output = await stdoutOf({ FORCE_COLOR: '1', NODE_ENV: 'development' });
    expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] FATAL: \[API\] start-up failed: no database \{.*"\[redacted\]"/);
  });

  it('is one JSON line when stdout is a pipe', async () => {
    const output = await stdoutOf({ NODE_ENV: 'development' });
    expect(JSON.parse(output)).toMatchObject({ level: 60, msg: '[API] start-up failed: no database', accessToken: '[redacted]' });
  });

  it('is one JSON line in production even when asked for colour', async () => {
    const output = await stdoutOf({ FORCE_COLOR: '1', NODE_ENV: 'production' });
    expect(JSON.parse(output)).toMatchObject({ level: 60, msg: '[API] start-up failed: no database', accessToken: '[redacted]' });
  });
});
