import { describe, expect, it } from 'vitest';
import { createTestRuntime, uniqueDbName } from '../support/test-runtime.js';
import { signInByUsername } from '../support/http.js';

const env = { ADMIN_USERNAME: 'boss', ADMIN_PASSWORD: 'boss-password-1' };

describe('admin bootstrap', () => {
  it('is idempotent across a restart and keeps a changed password', async () => {
    const dbName = uniqueDbName('bootstrap');
    const first = await createTestRuntime({ env, dbName });
    const admin = await signInByUsername(first.app, 'boss', 'boss-password-1');
    const change = await admin.post('/api/auth/change-password', { currentPassword: 'boss-password-1', newPassword: 'boss-password-2' });
    expect(change.status).toBe(200);
    await first.close();

    const second = await createTestRuntime({ env, dbName });
    try {
      expect(await second.database.db.collection('user').countDocuments({ username: 'boss' })).toBe(1);
      await expect(signInByUsername(second.app, 'boss', 'boss-password-2')).resolves.toBeDefined();
    } finally {
      await second.close();
    }
  });

  it('creates one admin when several instances start together', async () => {
    const dbName = uniqueDbName('bootstrap_race');
    const runtimes = await Promise.all([1, 2, 3].map(() => createTestRuntime({ env, dbName })));
    try {
      const users = runtimes[0]!.database.db.collection('user');
      expect(await users.countDocuments({ username: 'boss' })).toBe(1);
      expect(await users.countDocuments({ role: 'admin' })).toBe(1);
    } finally {
      await Promise.all(runtimes.map((r) => r.close()));
    }
  });
});
