import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { createDevSimulator, shouldUseDevSimulator } from '../../src/simulator/dev-mount.js';
import { createTestRuntime } from '../support/test-runtime.js';

const production = { NODE_ENV: 'production', BETTER_AUTH_SECRET: 'x'.repeat(40), BETTER_AUTH_URL: 'https://login.example.com' };
const credentials = { WECHAT_MP_APPID: 'wx1234567890abcdef', WECHAT_MP_SECRET: 's', WECHAT_MP_TOKEN: 'token123' };

describe('the development WeChat simulator', () => {
  it('is used only in development without credentials', () => {
    expect(shouldUseDevSimulator(loadConfig({}))).toBe(true);
    expect(shouldUseDevSimulator(loadConfig(credentials))).toBe(false);
    expect(shouldUseDevSimulator(loadConfig(production))).toBe(false);
    expect(shouldUseDevSimulator(loadConfig({ ...production, ...credentials }))).toBe(false);
    expect(() => createDevSimulator(loadConfig(production), silentLogger)).toThrow(/cannot run in production/);
  });

  it('is not mounted beside real credentials', async () => {
    const runtime = await createTestRuntime({ env: { NODE_ENV: 'development', ...credentials } });
    try {
      const page = await request(runtime.app).get('/__wechat-simulator/');
      expect(page.status).toBe(404);
      const site = await request(runtime.app).get('/api/v1/pub/site');
      expect(site.body.data.wechat).toEqual({ enabled: true, simulatorUrl: null, webAuthorization: true });
    } finally {
      await runtime.close();
    }
  });

  it('is mounted in development without credentials and says so', async () => {
    const runtime = await createTestRuntime({ env: { NODE_ENV: 'development' } });
    try {
      expect((await request(runtime.app).get('/__wechat-simulator/')).status).toBe(200);
      const site = await request(runtime.app).get('/api/v1/pub/site');
      expect(site.body.data.wechat).toEqual({ enabled: true, simulatorUrl: '/__wechat-simulator/', webAuthorization: true });
    } finally {
      await runtime.close();
    }
  });
});
