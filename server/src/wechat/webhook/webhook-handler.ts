import type { MessageCipher } from '../crypto.js';
import { openInboundMessage, signedQueryOf, verifyUrlVerification, type InboundMessage } from '../inbound.js';
import { buildEncryptedReplyXml, buildTextReplyXml } from '../xml/reply.js';
import type { SceneDocument } from '../scenes/scene.js';
import { applyScanEvent, type ScanEventDeps } from './scan-event.js';
import type { SignedQueryLedger } from './signed-query-ledger.js';

export interface WebhookHandlerDeps extends ScanEventDeps {
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
