import type { Logger } from '../../logger.js';
import type { WechatApiClient } from '../api/client.js';
import type { MessageCipher } from '../crypto.js';
import { openInboundMessage, signedQueryOf, verifyUrlVerification, type InboundMessage } from '../inbound.js';
import type { ConfirmationLinks } from '../confirmation/confirmation-link.js';
import { buildScanReply, type ScanReplyOptions } from '../confirmation/scan-reply.js';
import type { ScanNotifier } from '../scan-feed/scan-notifier.js';
import { isValidSceneId, type SceneDocument } from '../scenes/scene.js';
import type { SceneStore } from '../scenes/scene-store.js';
import type { WechatEvent } from '../xml/events.js';
import { buildEncryptedReplyXml, buildTextReplyXml } from '../xml/reply.js';
import type { WebhookDedupeStore } from './dedupe.js';
import type { SignedQueryLedger } from './signed-query-ledger.js';

export interface WebhookHandlerDeps {
  api: WechatApiClient;
  scenes: SceneStore;
  notifier: ScanNotifier;
  dedupe: WebhookDedupeStore;
  logger: Logger;
  reply: ScanReplyOptions;
  /** Null when scans need no confirmation on the phone. */
  confirmationLinks: ConfirmationLinks | null;
  token: string;
  /** Null when no EncodingAESKey is configured (plain mode). */
  cipher: MessageCipher | null;
  replayWindowSeconds: number;
  /** Where each signed query whose signature does not cover the body is held to one body. */
  signedQueries: SignedQueryLedger;
  now?: () => number;
}

/** What the webhook answers a verified push with, and the scan it recorded (for the audit trail). */
export interface PushAnswer {
  contentType: 'text/plain' | 'application/xml';
  body: string;
  /** The scene a scan was recorded on for the first time by this push; null for a retry or any other event. */
  recordedScan: SceneDocument | null;
}

/**
 * WeChat's side of the login, without HTTP: the URL verification, and each push in two halves.
 * `open` is everything that can refuse a push (query, signatures, replay window, one body per
 * signed query, AES, XML) and throws the AppError to answer with; nothing is recorded before it
 * passed. `answer` applies the verified event and builds the reply; an error there is ours (the
 * database), not the sender's.
 */
export class WebhookHandler {
  constructor(private readonly deps: WebhookHandlerDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** The `echostr` to echo for WeChat's GET when the webhook URL is saved. */
  async verifyUrl(query: Readonly<Record<string, unknown>>): Promise<string> {
    const echostr = verifyUrlVerification({ query, token: this.deps.token, replayWindowSeconds: this.deps.replayWindowSeconds, nowMs: this.now() });
    // The signature does not cover echostr: the same query may echo the same string only.
    await this.deps.signedQueries.assertUsable(signedQueryOf(query), { kind: 'url-verification', payload: echostr });
    return echostr;
  }

  async open(query: Readonly<Record<string, unknown>>, rawBody: string): Promise<InboundMessage> {
    const message = openInboundMessage({
      query,
      rawBody,
      token: this.deps.token,
      cipher: this.deps.cipher,
      replayWindowSeconds: this.deps.replayWindowSeconds,
      nowMs: this.now(),
      requireEncryption: this.deps.cipher !== null,
    });
    // Plain mode: the signature vouches for the query, not the body; one body per signed query.
    if (message.bodyUnboundQuery) await this.deps.signedQueries.assertUsable(message.bodyUnboundQuery, { kind: 'push', payload: rawBody });
    return message;
  }

  /** `success`, or a passive reply (encrypted unless the push was plain) well inside WeChat's 5 s. */
  async answer(message: InboundMessage): Promise<PushAnswer> {
    const outcome = await applyScanEvent(this.deps, message.event);
    const recordedScan = outcome.applied && outcome.scene ? outcome.scene : null;
    if (!outcome.replyText) return { contentType: 'text/plain', body: 'success', recordedScan };
    return { contentType: 'application/xml', body: this.replyXml(message, outcome.replyText), recordedScan };
  }

  private replyXml(message: InboundMessage, content: string): string {
    const createTimeSeconds = Math.floor(this.now() / 1000);
    const xml = buildTextReplyXml({ toUser: message.event.fromUserName, fromUser: message.event.toUserName, content, createTimeSeconds });
    if (message.mode === 'plain' || !this.deps.cipher) return xml;
    const sealed = this.deps.cipher.buildEncryptedReply({ message: xml, timestamp: String(createTimeSeconds) });
    return buildEncryptedReplyXml({ encrypt: sealed.encrypt, msgSignature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce });
  }
}

/** user/info gets this long: the webhook must answer WeChat within 5 s whatever happens. */
const USER_INFO_BUDGET_MS = 1_500;

interface EventOutcome {
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
async function applyScanEvent(deps: WebhookHandlerDeps, event: WechatEvent): Promise<EventOutcome> {
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
function replyFor(deps: WebhookHandlerDeps, scene: SceneDocument): string {
  const link = deps.confirmationLinks && scene.status === 'scanned' ? deps.confirmationLinks.urlFor(scene) : null;
  return buildScanReply(deps.reply, scene, link);
}

/**
 * Events carry no unionid; user/info has it when the account is on the Open
 * Platform. Within a budget, so WeChat's 5 s deadline is safe whatever the API does.
 */
async function lookupUnionid(deps: WebhookHandlerDeps, openid: string): Promise<string | null> {
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
