import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { oidcCors } from '../../src/http/oidc-cors.js';
import { corsForTrustedOrigins } from '../../src/http/security.js';

const TRUSTED = 'https://admin.example.com';

/** The order app.ts is to mount them in: OIDC CORS first, then the trusted-origin CORS. */
function app() {
  const a = express();
  a.use(oidcCors());
  a.use(corsForTrustedOrigins([TRUSTED]));
  a.all('/{*splat}', (_req, res) => void res.json({ reached: true }));
  return a;
}

describe('oidcCors', () => {
  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/api/auth/jwks', '/api/auth/oauth2/userinfo'])(
    'lets any origin read %s, without credentials',
    async (path) => {
      const res = await request(app()).get(path).set('Origin', 'https://rp.example.net');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    },
  );

  it('answers the preflight of a token request with a Basic authorization header', async () => {
    const res = await request(app())
      .options('/api/auth/oauth2/token')
      .set('Origin', 'https://rp.example.net')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it.each(['/api/auth/oauth2/authorize', '/api/auth/oauth2/consent', '/api/auth/oauth2/create-client', '/api/auth/get-session', '/api/auth/oauth2/token/extra'])(
    'leaves %s to the trusted-origin CORS: a foreign origin gets nothing',
    async (path) => {
      const res = await request(app()).options(path).set('Origin', 'https://evil.example.net').set('Access-Control-Request-Method', 'POST');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  it('does not touch requests without an Origin (server-to-server calls)', async () => {
    const res = await request(app()).post('/api/auth/oauth2/token');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
