import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { serverDir } from '../../src/paths.js';

function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.wechat.apiBase).toBe('https://api.weixin.qq.com');
    expect(config.wechat.replayWindowSeconds).toBe(300);
    expect(config.wechat.credentials).toBeUndefined();
    expect(config.auth.baseUrl).toBe('http://localhost:3000');
    expect(config.trustProxy).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    [{ NODE_ENV: 'production', BETTER_AUTH_URL: 'https://a.example.com' }, 'BETTER_AUTH_SECRET'],
    [{ BETTER_AUTH_SECRET: 'short' }, 'BETTER_AUTH_SECRET'],
    [{ WECHAT_MP_APPID: 'wx1234567890abcdef', WECHAT_MP_TOKEN: 'tok' }, 'WECHAT_MP_SECRET'],
    [{ WECHAT_MP_APPID: 'not-an-appid' }, 'WECHAT_MP_APPID'],
    [{ WECHAT_MP_ENCODING_AES_KEY: 'tooshort' }, 'WECHAT_MP_ENCODING_AES_KEY'],
    [{ ADMIN_USERNAME: 'admin' }, 'ADMIN_PASSWORD'],
    [{ TRUSTED_ORIGINS: 'https://ok.example.com,not a url' }, 'TRUSTED_ORIGINS'],
    [{ WECHAT_MP_REPLAY_WINDOW_SECONDS: '-5' }, 'WECHAT_MP_REPLAY_WINDOW_SECONDS'],
  ])('names the variable in %j', (env, variable) => {
    const error = configErrorFor(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('parses TRUST_PROXY like Express does', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });

  it('stops the process with one line naming the variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { PATH: process.env.PATH, PORT: 'not-a-port', DATA_DIR: '/tmp' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT is invalid: expected/)]);
  });
});

describe('DATA_DIR', () => {
  it('keeps absolute paths and resolves relative ones against the repo root', async () => {
    const { repoRoot } = await import('../../src/paths.js');
    expect(loadConfig({ DATA_DIR: '/var/lib/wechat-login' }).dataDir).toBe('/var/lib/wechat-login');
    expect(loadConfig({ DATA_DIR: 'data' }).dataDir).toBe(`${repoRoot.replace(/\/$/, '')}/data`);
  });
});

describe('trusted origins', () => {
  it('trusts the Vite dev server in development only', () => {
    expect(loadConfig({}).auth.trustedOrigins).toEqual(['http://localhost:5173']);
    expect(loadConfig({ NODE_ENV: 'test', TRUSTED_ORIGINS: 'https://a.example.com' }).auth.trustedOrigins).toEqual(['https://a.example.com']);
  });
});
