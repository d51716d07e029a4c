import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SceneDocument } from '../scenes/scene.js';

/** The cookie that proves this browser is the WeChat of the person who scanned. */
export const OPENER_COOKIE_NAME = 'wml_confirm_opener';
/** Ten minutes, like the web authorization that earned it; the scene dies sooner anyway. */
export const OPENER_PROOF_MAX_AGE_MS = 10 * 60_000;
const PROOF_LENGTH = 32;

type ScannedScene = Pick<SceneDocument, '_id' | 'openid' | 'scannedAt'>;

/**
 * What a browser earns by passing a silent web authorization as the WeChat user who scanned a
 * scene: a MAC over (scene, openid, scan time) under a key of its own, so it is worth nothing for
 * another scene, another scan or another person, and nothing needs storing for it. It lives in an
 * HttpOnly cookie on the confirmation page's own path, never in the page or its URL.
 */
export class OpenerProofs {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = createHmac('sha256', serverSecret).update('wechat-confirmation-opener/v1').digest();
  }

  proofFor(scene: ScannedScene): string {
    if (!scene.openid || !scene.scannedAt) throw new Error('only a scanned scene has an opener');
    return this.mac(scene);
  }

  verify(scene: ScannedScene, proof: string | undefined): boolean {
    if (!proof || proof.length !== PROOF_LENGTH || !scene.openid || !scene.scannedAt) return false;
    const expected = Buffer.from(this.mac(scene));
    const received = Buffer.from(proof);
    return expected.length === received.length && timingSafeEqual(expected, received);
  }

  private mac(scene: ScannedScene): string {
    return createHmac('sha256', this.key).update(`${scene._id}\n${scene.openid}\n${scene.scannedAt!.getTime()}`).digest('base64url').slice(0, PROOF_LENGTH);
  }
}
