import type { Logger } from '../../logger.js';
import type { WechatApiClient } from '../api/client.js';
import type { ScanNotifier } from '../scan-feed/scan-notifier.js';
import { isValidSceneId, type SceneDocument } from '../scenes/scene.js';
import type { SceneStore } from '../scenes/scene-store.js';
import type { WebhookDedupeStore } from './dedupe.js';
import type { WechatEvent } from '../xml/events.js';
import type { ConfirmationLinks } from '../confirmation/confirmation-link.js';
import { buildScanReply, type ScanReplyOptions } from '../confirmation/scan-reply.js';

/** user/info gets this long: the webhook must answer WeChat within 5 s whatever happens. */
const USER_INFO_BUDGET_MS = 1_500;

export interface ScanEventDeps {
  api: WechatApiClient;
  scenes: SceneStore;
  notifier: ScanNotifier;
  dedupe: WebhookDedupeStore;
  logger: Logger;
  reply: ScanReplyOptions;
  /** Null when scans need no confirmation on the phone. */
  confirmationLinks: ConfirmationLinks | null;
}

export interface EventOutcome {
  /** Passive text reply to the user, or null to answer `success`. */
  replyText: string | null;
  /** False for a retry we had already processed. */
  applied: boolean;
  /** The scene a scan was recorded for (also on a retry). */
  scene?: SceneDocument;
}

/**
 * Applies one verified push. Scans mark their scene scanned (idempotently, so
 * a crash between steps loses nothing: WeChat's retry finishes the job), wake
 * the waiting browser and answer with the confirmation link; everything else
 * is acknowledged and ignored.
 */
export async function applyScanEvent(deps: ScanEventDeps, event: WechatEvent): Promise<EventOutcome> {
  if (event.kind !== 'scan' && event.kind !== 'subscribe-with-scene') {
    deps.logger.debug({ kind: event.kind }, '[WeChat Webhook] event acknowledged without action');
    return { replyText: null, applied: false };
  }
  if (!isValidSceneId(event.sceneStr)) {
    deps.logger.info({ kind: event.kind }, '[WeChat Webhook] scan of a QR code that is not one of our login codes');
    return { replyText: null, applied: false };
  }
  // Retries need no read of the dedupe records: the scene's scan claim makes
  // recording idempotent, so a retry finds the scene scanned by the same user.
  // The dedupe record only tells a retry apart in the log: written alongside, not after.
  const [recorded, firstDelivery] = await Promise.all([
    deps.scenes.recordScan(event.sceneStr, event.fromUserName, () => lookupUnionid(deps, event.fromUserName)),
    deps.dedupe.remember(event.dedupeKey),
  ]);
  if (!recorded) {
    deps.logger.info({ sceneId: event.sceneStr }, '[WeChat Webhook] scan of an unknown, expired or already scanned QR code');
    return { replyText: null, applied: false };
  }
  const { scene, applied } = recorded;
  // Also on a retry: if the first delivery died before telling the pages, this one does.
  await deps.notifier.publish(scene);
  deps.logger.info({ sceneId: scene._id, purpose: scene.purpose, applied, retry: !firstDelivery }, '[WeChat Webhook] QR code scanned');
  return { replyText: replyFor(deps, scene), applied, scene };
}

/** Also for a retry or a second scan by the same user: the same link again, while there is something to confirm. */
function replyFor(deps: ScanEventDeps, scene: SceneDocument): string {
  const link = deps.confirmationLinks && scene.status === 'scanned' ? deps.confirmationLinks.urlFor(scene) : null;
  return buildScanReply(deps.reply, scene, link);
}

/**
 * Events carry no unionid; user/info has it when the account is on the Open
 * Platform. Within a budget, so WeChat's 5 s deadline is safe whatever the API does.
 */
async function lookupUnionid(deps: ScanEventDeps, openid: string): Promise<string | null> {
  try {
    return (await withBudget(deps.api.getUserInfo(openid), USER_INFO_BUDGET_MS))?.unionid ?? null;
  } catch (error) {
    deps.logger.warn({ err: error }, '[WeChat Webhook] user/info failed; signing in by openid');
    return null;
  }
}

async function withBudget<T>(promise: Promise<T>, budgetMs: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  // A late failure after the budget ran out must not become an unhandled rejection.
  promise.catch(() => undefined);
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), budgetMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
