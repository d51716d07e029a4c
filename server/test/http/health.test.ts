import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { HealthSchema } from '@wechat-login/shared';
import { createTestRuntime } from '../support/test-runtime.js';
import { startDedicatedDatabase } from '../support/dedicated-database.js';

describe('GET /healthz', () => {
  it('is 200 with db up while the database answers', async () => {
    const runtime = await createTestRuntime();
    try {
      const res = await request(runtime.app).get('/healthz');
      expect(res.status).toBe(200);
      expect(HealthSchema.parse(res.body)).toEqual({ status: 'ok', db: 'up' });
    } finally {
      await runtime.close();
    }
  });

  it('is 503 with db down once the database stops', async () => {
    const database = await startDedicatedDatabase();
    const runtime = await createTestRuntime({ env: { MONGODB_URI: database.uri } });
    try {
      expect((await request(runtime.app).get('/healthz')).status).toBe(200);
      await database.stop();
      const res = await request(runtime.app).get('/healthz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'degraded', db: 'down' });
    } finally {
      await runtime.close();
      await database.cleanup();
    }
  });
});
