import { WECHAT_PUBLIC_PATH, WECHAT_PUBLIC_ROUTES } from '@wechat-login/shared';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SceneDocument } from '../scenes/scene.js';

/** Where the phone opens the confirmation page, under the public WeChat routes. */
export const CONFIRMATION_PATH = `${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.confirm}`;
/** 24 base64url characters = 144 bits of MAC: unguessable, and short enough for a chat message. */
const TOKEN_LENGTH = 24;

/**
 * The one-time confirmation link sent to the WeChat user who scanned. Its
 * token is a MAC over (scene, openid, scan time) under a key derived from the
 * server secret, so it is valid only for that scene and that WeChat user,
 * nothing is stored for it, and WeChat's retry of the same push gets the same
 * link. It dies with the scene, and once the scene is decided it has nothing
 * left to decide.
 */
export class ConfirmationLinks {
  private readonly key: Buffer;

  constructor(
    serverSecret: string,
    private readonly publicBaseUrl: string,
  ) {
    // A key of its own, so a link token can never double as anything better-auth signs.
    this.key = createHmac('sha256', serverSecret).update('wechat-scan-confirmation/v1').digest();
  }

  tokenFor(scene: Pick<SceneDocument, '_id' | 'openid' | 'scannedAt'>): string {
    if (!scene.openid || !scene.scannedAt) throw new Error('only a scanned scene has a confirmation link');
    return this.mac(scene._id, scene.openid, scene.scannedAt.getTime());
  }

  urlFor(scene: Pick<SceneDocument, '_id' | 'openid' | 'scannedAt'>): string {
    return `${this.publicBaseUrl}${CONFIRMATION_PATH}/${scene._id}?t=${this.tokenFor(scene)}`;
  }

  /** True when `token` is this scene's link for the WeChat user who scanned it. */
  verify(scene: Pick<SceneDocument, '_id' | 'openid' | 'scannedAt'>, token: string): boolean {
    if (!scene.openid || !scene.scannedAt || token.length !== TOKEN_LENGTH) return false;
    const expected = Buffer.from(this.mac(scene._id, scene.openid, scene.scannedAt.getTime()));
    const received = Buffer.from(token);
    return expected.length === received.length && timingSafeEqual(expected, received);
  }

  private mac(sceneId: string, openid: string, scannedAtMs: number): string {
    return createHmac('sha256', this.key).update(`${sceneId}\n${openid}\n${scannedAtMs}`).digest('base64url').slice(0, TOKEN_LENGTH);
  }
}

export function isWellFormedConfirmationToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{24}$/.test(value);
}
