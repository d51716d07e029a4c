import { describe, expect, it } from 'vitest';
import type { SceneDocument } from '../scenes/scene.js';
import { MAX_CACHED_PENDING_SCENES, PendingSceneCache } from './pending-scenes.js';

const NOW_MS = Date.UTC(2026, 0, 1);

function pendingScene(id: string, expiresInMs = 60_000): SceneDocument {
  return {
    _id: id, bindingHash: 'h', purpose: 'login', status: 'pending', ticket: 't', requester: { userAgent: null, ip: null },
    openid: null, unionid: null, createdAt: new Date(NOW_MS), expiresAt: new Date(NOW_MS + expiresInMs),
    scannedAt: null, decidedAt: null, consumedAt: null,
  };
}

describe('PendingSceneCache', () => {
  it('refuses a scene that is no longer pending', () => {
    const cache = new PendingSceneCache(() => NOW_MS);
    expect(cache.remember({ ...pendingScene('s1'), status: 'scanned', openid: 'o1' })).toBe(false);
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest scene when full, never growing past the bound', () => {
    const cache = new PendingSceneCache(() => NOW_MS);
    for (let index = 0; index <= MAX_CACHED_PENDING_SCENES; index += 1) cache.remember(pendingScene(`s${index}`));
    expect(cache.size).toBe(MAX_CACHED_PENDING_SCENES);
    expect(cache.get('s0')).toBeUndefined();
    expect(cache.get('s1')?._id).toBe('s1');
    expect(cache.get(`s${MAX_CACHED_PENDING_SCENES}`)?._id).toBe(`s${MAX_CACHED_PENDING_SCENES}`);
  });

  it('forgets a scene at its expiry', () => {
    let nowMs = NOW_MS;
    const cache = new PendingSceneCache(() => nowMs);
    cache.remember(pendingScene('s1', 1_000));
    nowMs += 999;
    expect(cache.get('s1')?._id).toBe('s1');
    nowMs += 1;
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
