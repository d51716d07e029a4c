import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const TEST_BASE_URL = 'http://localhost:3000';

/** A config as a test deployment would have it, pointing at the run's database. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: inject('mongoUri'),
    BETTER_AUTH_SECRET: TEST_SECRET,
    BETTER_AUTH_URL: TEST_BASE_URL,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'wechat-login-test-data-')),
    ...env,
  });
}

/** A fresh database name, so test files never see each other's data. */
export function uniqueDbName(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export async function createTestRuntime(
  options: { env?: Record<string, string>; dbName?: string; logger?: Logger } = {},
): Promise<Runtime> {
  return createRuntime(testConfig(options.env), options.logger ?? silentLogger, { dbName: options.dbName ?? uniqueDbName() });
}
