import { spawnSync } from 'node:child_process';
import express from 'express';
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
    expect(config.oidcDynamicRegistration).toBe(false);
  });

  it('turns on OIDC dynamic client registration only when asked, and refuses a value it cannot read', () => {
    expect(loadConfig({ OIDC_DYNAMIC_REGISTRATION: 'true' }).oidcDynamicRegistration).toBe(true);
    expect(loadConfig({ OIDC_DYNAMIC_REGISTRATION: 'false' }).oidcDynamicRegistration).toBe(false);
    expect(configErrorFor({ OIDC_DYNAMIC_REGISTRATION: 'perhaps' }).message).toContain('OIDC_DYNAMIC_REGISTRATION');
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


  it('reads the web-authorization settings: scope strategy, opener check and the domain-check file', () => {
    const defaults = loadConfig({});
    expect(defaults.wechat.oauth).toEqual({ authorizeBase: 'https://open.weixin.qq.com', scope: 'auto', verifyFile: undefined, verifyConfirmationOpener: true });
    const set = loadConfig({ WECHAT_MP_OAUTH_SCOPE: 'base', WECHAT_MP_CONFIRM_VERIFY_OPENER: 'false', WECHAT_MP_VERIFY_FILE: 'MP_verify_AbC123.txt' });
    expect(set.wechat.oauth).toMatchObject({ scope: 'base', verifyConfirmationOpener: false, verifyFile: { name: 'MP_verify_AbC123.txt', content: 'AbC123' } });
    expect(loadConfig({ WECHAT_MP_VERIFY_FILE: 'MP_verify_AbC123.txt:Other9' }).wechat.oauth.verifyFile).toEqual({ name: 'MP_verify_AbC123.txt', content: 'Other9' });
  });

  it.each([
    [{ WECHAT_MP_OAUTH_SCOPE: 'snsapi_userinfo' }, 'WECHAT_MP_OAUTH_SCOPE'],
    [{ WECHAT_MP_OAUTH_BASE: 'javascript:alert(1)' }, 'WECHAT_MP_OAUTH_BASE'],
    // A path, a dot-dot or a second file name would let the root serve something else.
    [{ WECHAT_MP_VERIFY_FILE: '../etc/passwd' }, 'WECHAT_MP_VERIFY_FILE'],
    [{ WECHAT_MP_VERIFY_FILE: 'MP_verify_a/b.txt' }, 'WECHAT_MP_VERIFY_FILE'],
    [{ WECHAT_MP_VERIFY_FILE: 'index.html' }, 'WECHAT_MP_VERIFY_FILE'],
    [{ WECHAT_MP_VERIFY_FILE: 'MP_verify_abc.txt:<script>' }, 'WECHAT_MP_VERIFY_FILE'],
    [{ WECHAT_MP_CONFIRM_VERIFY_OPENER: 'yes' }, 'WECHAT_MP_CONFIRM_VERIFY_OPENER'],
  ])('names the bad web-authorization setting %o', (env, variable) => {
    expect(configErrorFor(env).variable).toBe(variable);
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

describe('TRUST_PROXY', () => {
  it.each([
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', 'loopback'],
    ['Loopback, 10.0.0.0/8 ,fd00::/8', 'loopback,10.0.0.0/8,fd00::/8'],
    ['linklocal,uniquelocal', 'linklocal,uniquelocal'],
    ['203.0.113.7', '203.0.113.7'],
    ['2001:DB8::1', '2001:db8::1'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['172.16.0.0/12', '172.16.0.0/12'],
  ])('accepts %j as %j, and Express takes it', (value, expected) => {
    const { trustProxy } = loadConfig({ TRUST_PROXY: value });
    expect(trustProxy).toBe(expected);
    // proxy-addr compiles the list when it is set: a value it cannot read would crash the start instead.
    expect(() => express().set('trust proxy', trustProxy)).not.toThrow();
  });

  it.each([
    // Trusts every X-Forwarded-For entry: any client could choose the IP that is rate-limited and shown on the phone.
    'true',
    'TRUE',
    ' true ',
    // The same, spelled as an address range or a hop count no deployment has.
    '0.0.0.0/0',
    '::/0',
    'loopback,0.0.0.0/0',
    '11',
    '1000',
  ])('refuses %j, which lets clients choose their IP, and says what to set instead', (value) => {
    const error = configErrorFor({ TRUST_PROXY: value });
    expect(error.variable).toBe('TRUST_PROXY');
    expect(error.message).toMatch(/^Invalid configuration: TRUST_PROXY is invalid: /);
    expect(error.message).toContain('set 1 behind one reverse proxy');
    expect(error.message).toMatch(/address or CIDR/);
    expect(error.message).not.toContain('\n');
  });

  it.each(['loopbak', 'yes', '*', '1.5', '-1', '0x1', '10.0.0.0/33', '10.0.0.0/', '10.0.0.1/x', '1.2.3', '010.0.0.1', 'fe80::1%eth0', 'loopback;10.0.0.1', ',,'])(
    'refuses %j at start with one line naming TRUST_PROXY',
    (value) => {
      const error = configErrorFor({ TRUST_PROXY: value });
      expect(error.variable).toBe('TRUST_PROXY');
      expect(error.message).toMatch(/^Invalid configuration: TRUST_PROXY is invalid: expected a hop count/);
      expect(error.message).not.toContain('\n');
    },
  );

  it('stops the process with one line when TRUST_PROXY=true', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { PATH: process.env.PATH, TRUST_PROXY: 'true', DATA_DIR: '/tmp' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: TRUST_PROXY is invalid: .*set 1 behind one reverse proxy/)]);
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
