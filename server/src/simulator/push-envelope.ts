import { createHash } from 'node:crypto';
import WXCrypto from 'wechat-crypto';
import { buildWechatXml, type XmlFields } from './simulator-xml.js';
import type { MessageMode } from './options.js';

/**
 * A push exactly as WeChat sends it to the webhook: the signed query string and the XML body,
 * in plain, compatible or safe mode. Pure: the HTTP part is push-delivery.ts.
 */

/** Deliberate defects, for tests of our webhook's refusals. */
export interface PushTampering {
  /** Sent as `signature` instead of the real one. */
  signature?: string;
  /** Sent as `msg_signature` instead of the real one (safe and compatible mode). */
  msgSignature?: string;
  /** Sent, and validly signed, instead of the current time: a stale or future timestamp. */
  timestamp?: string;
  /** The appid sealed inside the AES envelope instead of ours. */
  appIdInside?: string;
}

export interface PushEnvelopeInput {
  token: string;
  appId: string;
  encodingAESKey: string | undefined;
  mode: MessageMode;
  fields: XmlFields;
  timestamp: string;
  nonce: string;
  tamper?: PushTampering;
}

export interface PushEnvelope {
  /** In WeChat's order: signature, timestamp, nonce, openid[, encrypt_type, msg_signature]. */
  query: Readonly<Record<string, string>>;
  body: string;
  /** The message before encryption (equal to `body` in plain mode). */
  plainXml: string;
}

/** WeChat's signature: sha1 of the parts sorted as strings and joined, lowercase hex. */
export function sha1OfSorted(parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

function encryptMessage(input: PushEnvelopeInput, plainXml: string): string {
  if (input.encodingAESKey === undefined) {
    throw new Error(`WeChat simulator: '${input.mode}' mode needs an encodingAESKey`);
  }
  const appIdInside = input.tamper?.appIdInside ?? input.appId;
  return new WXCrypto(input.token, input.encodingAESKey, appIdInside).encrypt(plainXml);
}

export function buildPushEnvelope(input: PushEnvelopeInput): PushEnvelope {
  const { token, mode, fields, nonce, tamper } = input;
  const timestamp = tamper?.timestamp ?? input.timestamp;
  const plainXml = buildWechatXml(fields);
  const query: Record<string, string> = {
    signature: tamper?.signature ?? sha1OfSorted([token, timestamp, nonce]),
    timestamp,
    nonce,
  };
  if (fields.FromUserName !== undefined) query.openid = fields.FromUserName;
  if (mode === 'plain') return { query, body: plainXml, plainXml };

  const encrypt = encryptMessage(input, plainXml);
  query.encrypt_type = 'aes';
  query.msg_signature = tamper?.msgSignature ?? sha1OfSorted([token, timestamp, nonce, encrypt]);
  const body =
    mode === 'safe'
      ? buildWechatXml({ ToUserName: fields.ToUserName ?? '', Encrypt: encrypt })
      : buildWechatXml({ ...fields, Encrypt: encrypt });
  return { query, body, plainXml };
}
