import { describe, expect, it } from 'vitest';
import { canMove, generateSceneId, hashBindingSecret, isSceneBrowser, isValidSceneId, newBindingSecret, SCENE_STATUSES, statusAfterScan, toScanResult, type SceneDocument } from './scene.js';

describe('generateSceneId', () => {
  it('makes URL-safe ids of 24 characters (144 bits), within WeChat\'s 64', () => {
    for (let index = 0; index < 200; index += 1) {
      const sceneId = generateSceneId();
      expect(sceneId).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(sceneId).toHaveLength(24);
      expect(encodeURIComponent(sceneId)).toBe(sceneId);
      expect(isValidSceneId(sceneId)).toBe(true);
      expect(Buffer.from(sceneId, 'base64url')).toHaveLength(18);
    }
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, generateSceneId));
    expect(ids.size).toBe(10_000);
  });
});

describe('isValidSceneId', () => {
  it.each([
    ['empty', ''],
    ['too short', 'a'.repeat(23)],
    ['too long', 'a'.repeat(25)],
    ['an EventKey still carrying the subscribe prefix', `qrscene_${'a'.repeat(24)}`],
    ['standard base64 characters', `${'a'.repeat(22)}+/`],
    ['padding', `${'a'.repeat(23)}=`],
    ['a NoSQL operator', '{"$ne":null}aaaaaaaaaaaa'],
    ['a trailing newline', `${'a'.repeat(24)}\n`],
    ['unicode', `${'a'.repeat(23)}é`],
  ])('refuses %s', (_label, value) => {
    expect(isValidSceneId(value)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    for (const value of [undefined, null, 42, ['a'.repeat(24)], { $ne: null }]) expect(isValidSceneId(value)).toBe(false);
  });
});

describe('the scene state machine', () => {
  it('moves only forward along the drawn arrows', () => {
    const allowed = SCENE_STATUSES.flatMap((from) => SCENE_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual(['pending→scanned', 'pending→confirmed', 'scanned→confirmed', 'scanned→denied', 'confirmed→consumed']);
  });

  it('lands a scan on scanned when the phone must confirm, else on confirmed', () => {
    expect(statusAfterScan(true)).toBe('scanned');
    expect(statusAfterScan(false)).toBe('confirmed');
  });
});

describe('toScanResult', () => {
  const base: SceneDocument = {
    _id: 'a'.repeat(24), bindingHash: 'h', purpose: 'login', status: 'pending', ticket: 't', requester: { userAgent: null, ip: null },
    openid: null, unionid: null, createdAt: new Date(0), expiresAt: new Date(1), scannedAt: null, decidedAt: null, consumedAt: null,
  };

  it('shows who scanned only once the phone confirmed', () => {
    expect(toScanResult(base)).toEqual({ status: 'pending', scanned: false });
    expect(toScanResult({ ...base, status: 'scanned', openid: 'o1' })).toEqual({ status: 'scanned', scanned: true });
    expect(toScanResult({ ...base, status: 'denied', openid: 'o1' })).toEqual({ status: 'denied', scanned: true });
    const confirmed = { status: 'confirmed', scanned: true, openid: 'o1', unionid: 'u1', nickname: null, avatar: null };
    expect(toScanResult({ ...base, status: 'confirmed', openid: 'o1', unionid: 'u1' })).toEqual(confirmed);
    expect(toScanResult({ ...base, status: 'consumed', openid: 'o1', unionid: 'u1' })).toEqual(confirmed);
  });
});

describe('isSceneBrowser', () => {
  it('recognises only the browser whose binding secret the scene was made for', () => {
    const secret = newBindingSecret();
    const scene = { bindingHash: hashBindingSecret(secret) };
    expect(isSceneBrowser(scene, secret)).toBe(true);
    expect(isSceneBrowser(scene, newBindingSecret())).toBe(false);
    expect(isSceneBrowser(scene, undefined)).toBe(false);
    expect(isSceneBrowser(scene, '')).toBe(false);
    expect(isSceneBrowser({ bindingHash: '' }, secret)).toBe(false);
  });
});
