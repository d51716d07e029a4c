import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '@wechat-login/shared';
import type { Runtime } from '../../src/runtime.js';
import { createTestRuntime, TEST_BASE_URL } from '../support/test-runtime.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await createTestRuntime();
});
afterAll(async () => {
  await runtime?.close();
});

describe('our error shape', () => {
  it('answers unknown /api paths with a JSON 404', async () => {
    const res = await request(runtime.app).get('/api/v1/does-not-exist');
    expect(res.status).toBe(404);
    expect(ErrorBodySchema.parse(res.body).error.code).toBe('NOT_FOUND');
  });

  it('answers malformed JSON with 400 MALFORMED_JSON and no stack', async () => {
    const res = await request(runtime.app).post('/api/v1/nothing-here').set('Content-Type', 'application/json').send('{"a": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ success: false, error: { code: 'MALFORMED_JSON', message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(runtime.app)
      .post('/api/v1/nothing-here')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(200 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sets security headers and its own request id, whatever id the client sends', async () => {
    const res = await request(runtime.app).get('/healthz').set('X-Request-Id', 'req-12345678');
    // Without a trusted proxy the client would choose the id of its log lines (or borrow someone else's).
    expect(res.headers['x-request-id']).not.toBe('req-12345678');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // Registered apps' logos are https URLs on their own hosts; nothing else widens.
    const directives = String(res.headers['content-security-policy']).split(';');
    expect(directives).toContain("img-src 'self' data: blob: https:");
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("connect-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('keeps the request id a trusted proxy sends, so one id follows a request across hops', async () => {
    const proxied = await createTestRuntime({ env: { TRUST_PROXY: 'loopback' } });
    try {
      const res = await request(proxied.app).get('/healthz').set('X-Request-Id', 'req-12345678');
      expect(res.headers['x-request-id']).toBe('req-12345678');
    } finally {
      await proxied.close();
    }
  });

  it('allows CORS only for trusted origins', async () => {
    const trusted = await createTestRuntime({ env: { TRUSTED_ORIGINS: 'https://app.example.com' } });
    try {
      const ok = await request(trusted.app).get('/healthz').set('Origin', 'https://app.example.com');
      expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
      const other = await request(trusted.app).get('/healthz').set('Origin', 'https://evil.example.com');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await trusted.close();
    }
  });

  it('refuses a cookie-carrying POST from an untrusted origin', async () => {
    const res = await request(runtime.app)
      .post('/api/auth/sign-out')
      .set('Origin', 'https://evil.example.com')
      .set('Cookie', 'better-auth.session_token=abc')
      .send({});
    expect(res.status).toBe(403);
    const ok = await request(runtime.app).post('/api/auth/sign-out').set('Origin', TEST_BASE_URL).set('Cookie', 'better-auth.session_token=abc').send({});
    expect(ok.status).not.toBe(403);
  });
});

describe('better-auth request guard', () => {
  it('refuses a chunked body without Content-Length, and a body over the limit, before better-auth reads it', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(runtime.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const chunked = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Blob(['{}']).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(411);
      const huge = await fetch(`http://127.0.0.1:${port}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(200 * 1024) }),
      });
      expect(huge.status).toBe(413);
      expect(await huge.json()).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
    } finally {
      server.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the wechat plugin endpoints in the generated schema', async () => {
    const runtime = await createTestRuntime();
    try {
      const res = await request(runtime.app).get('/api/auth/open-api/generate-schema');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/sign-in-wechat', '/check-wechat-binding', '/bind-wechat', '/unbind-wechat', '/set-first-password']));
      expect(res.body.paths['/sign-in-wechat'].post.operationId).toBe('signInWechat');
    } finally {
      await runtime.close();
    }
  });
});
