import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { createDevSimulator, shouldUseDevSimulator } from '../../src/simulator/dev-mount.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestRuntime, TEST_BASE_URL } from '../support/test-runtime.js';
import { browser } from '../support/http.js';

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

  it('lets a developer at a desktop browser answer a scan in the scanner\'s WeChat, since the link itself only answers there', async () => {
    // The simulator reaches the app on its own port (loopback), so this runtime listens on a real one.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const runtime = await createTestRuntime({ env: { NODE_ENV: 'development', PORT: String(port), BETTER_AUTH_URL: `http://127.0.0.1:${port}`, TRUSTED_ORIGINS: TEST_BASE_URL } });
    const server = createServer(runtime.app);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const desktop = browser(runtime.app);
      const qrcode = (await desktop.get('/api/v1/pub/mp/get-qrcode')).body.data as { sceneId: string; qrcodeContent: string };
      const scanned = await request(runtime.app).post('/__wechat-simulator/phone/scan').type('form').send({ ticket: qrcode.qrcodeContent, openid: 'oDevAnswer123' });
      expect(scanned.text).toContain('data-testid="simulator-confirm"');
      const link = /name="link" value="([^"]+)"/.exec(scanned.text)![1]!.replaceAll('&amp;', '&');

      // Opened in the desktop browser, the link says to open it in WeChat and takes no answer.
      const outside = await fetch(link);
      expect(await outside.text()).toContain('data-outcome="open-in-wechat"');

      const answered = await request(runtime.app).post('/__wechat-simulator/phone/answer').type('form').send({ openid: 'oDevAnswer123', link, decision: 'confirm' });
      expect(answered.text).toMatch(/data-testid="simulator-answer-outcome">confirmed</);
      expect((await desktop.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })).status).toBe(200);

      // The form opens confirmation links of the app only.
      const elsewhere = await request(runtime.app).post('/__wechat-simulator/phone/answer').type('form').send({ openid: 'oDevAnswer123', link: 'http://169.254.169.254/latest', decision: 'confirm' });
      expect(elsewhere.status).toBe(400);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    }
  });
});
