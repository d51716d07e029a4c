import { randomBytes } from 'node:crypto';

/**
 * The scene id: the one-time ticket a browser holds while its QR code waits for a scan. It is the
 * QR code's scene_str (WeChat allows 1..64 characters) and comes back as the event's EventKey.
 * 18 random bytes = 144 bits, base64url without padding = exactly 24 characters.
 */
const SCENE_ID_RANDOM_BYTES = 18;
export const SCENE_ID_LENGTH = 24;
const SCENE_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;

export function generateSceneId(): string {
  return randomBytes(SCENE_ID_RANDOM_BYTES).toString('base64url');
}

/**
 * True only for strings generateSceneId could have made. Use it on every scene id from outside
 * (browser query, EventKey) before it reaches a database query or a log line.
 */
export function isValidSceneId(value: unknown): value is string {
  return typeof value === 'string' && SCENE_ID_PATTERN.test(value);
}
