import { describe, expect, it } from 'vitest';
import { SCENE_ID_LENGTH, generateSceneId, isValidSceneId } from './scene-id.js';

describe('generateSceneId', () => {
  it('makes URL-safe ids of 24 characters (144 bits), within WeChat\'s 64', () => {
    for (let index = 0; index < 200; index += 1) {
      const sceneId = generateSceneId();
      expect(sceneId).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(sceneId).toHaveLength(SCENE_ID_LENGTH);
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
