import { isAppError } from '../../errors.js';
import type { ScanNotifier } from '../scan-feed/scan-notifier.js';
import type { SceneDocument } from '../scenes/scene.js';
import type { ScanDecision, SceneStore } from '../scenes/scene-store.js';
import type { ConfirmationLinks } from './confirmation-link.js';

/**
 * What became of an answer on the phone, or why a link can no longer be answered: with the opener
 * check on, also who may not answer it (`not-yours`), where it cannot be answered (`open-in-wechat`)
 * and WeChat failing to say who opened it (`verify-failed`).
 */
export type ConfirmationOutcome = 'confirmed' | 'denied' | 'decided' | 'expired' | 'invalid' | 'not-yours' | 'open-in-wechat' | 'verify-failed';

export interface ScanConfirmationDeps {
  scenes: SceneStore;
  links: ConfirmationLinks;
  notifier: ScanNotifier;
  now?: () => number;
}

export type OpenedConfirmation = { kind: 'ask'; scene: SceneDocument } | { kind: 'done'; outcome: 'decided' | 'expired' | 'invalid' };

/**
 * What the confirmation link shows: the question while the scan waits for an
 * answer; otherwise why it cannot be answered. A link that does not belong to
 * the scene's WeChat user is `invalid`, exactly like an unknown scene.
 */
export async function openConfirmation(deps: ScanConfirmationDeps, sceneId: string, token: string): Promise<OpenedConfirmation> {
  const scene = await deps.scenes.find(sceneId);
  if (!scene || !deps.links.verify(scene, token)) return { kind: 'done', outcome: 'invalid' };
  if (scene.status !== 'scanned') return { kind: 'done', outcome: 'decided' };
  if (scene.expiresAt.getTime() <= (deps.now ?? Date.now)()) return { kind: 'done', outcome: 'expired' };
  return { kind: 'ask', scene };
}

/**
 * The phone's answer. The link proves the WeChat user (it was sent to their
 * chat only); the scene store makes the answer once-only across instances.
 * The waiting browser hears of it at once, wherever it is connected.
 */
export async function decideScan(
  deps: ScanConfirmationDeps,
  sceneId: string,
  token: string,
  decision: ScanDecision,
): Promise<{ outcome: ConfirmationOutcome; scene: SceneDocument | null }> {
  const opened = await openConfirmation(deps, sceneId, token);
  if (opened.kind === 'done') return { outcome: opened.outcome, scene: null };
  try {
    const decided = await deps.scenes.decide(opened.scene, decision);
    await deps.notifier.publish(decided);
    return { outcome: decision === 'confirm' ? 'confirmed' : 'denied', scene: decided };
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === 'SCENE_EXPIRED') return { outcome: 'expired', scene: null };
    if (error.code === 'SCENE_ALREADY_DECIDED') return { outcome: 'decided', scene: null };
    throw error;
  }
}
