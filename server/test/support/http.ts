import request from 'supertest';
import type { Express } from 'express';
import { TEST_BASE_URL } from './test-runtime.js';

/**
 * A browser-like client: keeps cookies between calls and sends the Origin a
 * same-site page would, which better-auth requires on cookie-carrying POSTs.
 */
export function browser(app: Express) {
  const agent = request.agent(app);
  return {
    get: (path: string) => agent.get(path).set('Origin', TEST_BASE_URL),
    post: (path: string, body?: object) => {
      const req = agent.post(path).set('Origin', TEST_BASE_URL);
      return body === undefined ? req : req.send(body);
    },
    agent,
  };
}

export type Browser = ReturnType<typeof browser>;

export async function signUpByEmail(app: Express, user: { email: string; password: string; name: string; username?: string }): Promise<Browser> {
  const client = browser(app);
  const res = await client.post('/api/auth/sign-up/email', user);
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}

export async function signInByUsername(app: Express, username: string, password: string): Promise<Browser> {
  const client = browser(app);
  const res = await client.post('/api/auth/sign-in/username', { username, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}
