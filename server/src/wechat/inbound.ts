import { AppError } from '../errors.js';
import { verifyMsgSignature, verifySignature, type MessageCipher } from './crypto.js';
import { isWithinReplayWindow } from './replay-window.js';
import { parseWechatXml, type WechatXmlFields } from './xml/parse.js';
import { toWechatEvent, type WechatEvent } from './xml/events.js';

/**
 * The whole check of a WeChat push, independent of HTTP: query, signatures, replay window, safe-mode
 * decryption, XML. The webhook hands it the parsed query and the raw body and gets back a message
 * it can trust, or an AppError it can answer with.
 */

/** plain: no encryption. compatible: plain fields and Encrypt side by side. safe: Encrypt only. */
export type InboundMode = 'plain' | 'compatible' | 'safe';

/** What WeChat's plain `signature` covers (Token aside), and the signature: one signed query. */
export interface SignedQuery {
  timestamp: string;
  nonce: string;
  signature: string;
}

export interface InboundMessage {
  event: WechatEvent;
  /** In compatible and safe mode, only the decrypted fields: the plain copy is never trusted. */
  fields: WechatXmlFields;
  /** Reply encrypted unless this is `plain`. */
  mode: InboundMode;
  /**
   * In plain mode, the signed query, whose signature does not cover the body: the caller must
   * accept it with one body only (see SignedQueryLedger). Null in compatible and safe mode, where
   * msg_signature covers the Encrypt element and another body already fails the signature.
   */
  bodyUnboundQuery: SignedQuery | null;
}

export interface OpenInboundMessageInput {
  /** The request's query as the framework parsed it: values that are not plain strings are refused. */
  query: Readonly<Record<string, unknown>>;
  rawBody: string | Buffer;
  token: string;
  /** null when no EncodingAESKey is configured. */
  cipher: MessageCipher | null;
  /** 0 turns the time check off. */
  replayWindowSeconds: number;
  nowMs?: number;
  /**
   * Refuse plaintext pushes even when their `signature` is valid. That signature covers no part of
   * the body, so once safe mode is switched on in the WeChat admin, accepting plaintext would let
   * anyone holding a recent signed query (from a proxy log, say) post a body of their choosing.
   */
  requireEncryption?: boolean;
}

function invalidQuery(name: string, expectation: string): AppError {
  return new AppError(400, 'INVALID_QUERY', `Query parameter "${name}" ${expectation}`, { parameter: name });
}

/** A query value as one plain string; arrays or objects from an extended query parser are refused. */
function queryString(query: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = Object.hasOwn(query, name) ? query[name] : undefined;
  if (value === undefined || typeof value === 'string') return value;
  throw invalidQuery(name, 'must appear once, as plain text');
}

function signatureInvalid(parameter: string): AppError {
  return new AppError(
    401,
    'WECHAT_SIGNATURE_INVALID',
    'The WeChat signature does not match: check that WECHAT_MP_TOKEN equals the Token set in the WeChat admin',
    { parameter },
  );
}

function assertWithinReplayWindow(timestamp: string, windowSeconds: number, nowMs: number): void {
  if (isWithinReplayWindow(timestamp, windowSeconds, nowMs)) return;
  throw new AppError(
    401,
    'WECHAT_TIMESTAMP_OUT_OF_WINDOW',
    `The WeChat request is more than ${windowSeconds} s away from the server clock: check the clock, or WECHAT_MP_REPLAY_WINDOW_SECONDS`,
    { windowSeconds },
  );
}

function isEncrypted(encryptType: string | undefined): boolean {
  if (encryptType === undefined || encryptType === '' || encryptType === 'raw') return false;
  if (encryptType === 'aes') return true;
  throw invalidQuery('encrypt_type', 'must be "raw" or "aes"');
}

interface TimestampAndNonce {
  timestamp: string;
  nonce: string;
}

function openPlain(input: OpenInboundMessageInput, signed: TimestampAndNonce, nowMs: number): InboundMessage {
  const signature = queryString(input.query, 'signature');
  if (signature === undefined || !verifySignature({ token: input.token, ...signed, signature })) throw signatureInvalid('signature');
  assertWithinReplayWindow(signed.timestamp, input.replayWindowSeconds, nowMs);
  if (input.requireEncryption) {
    throw new AppError(400, 'WECHAT_ENCRYPTION_REQUIRED', 'Only encrypted (safe mode) WeChat messages are accepted');
  }
  const fields = parseWechatXml(input.rawBody);
  return { event: toWechatEvent(fields), fields, mode: 'plain', bodyUnboundQuery: { ...signed, signature } };
}

function openEncrypted(input: OpenInboundMessageInput, signed: TimestampAndNonce, nowMs: number): InboundMessage {
  const { cipher } = input;
  if (cipher === null) {
    throw new AppError(
      500,
      'WECHAT_CONFIG_INVALID',
      'WeChat sent an encrypted message but WECHAT_MP_ENCODING_AES_KEY is not set: set it, or switch the WeChat admin to plaintext mode',
    );
  }
  const msgSignature = queryString(input.query, 'msg_signature');
  // The envelope is read before it is authenticated, because msg_signature covers its Encrypt
  // element; the parser's size limit and DTD refusal keep that cheap and safe.
  const envelope = parseWechatXml(input.rawBody);
  const encrypt = envelope.Encrypt;
  if (encrypt === undefined || encrypt === '') {
    throw new AppError(400, 'WECHAT_MESSAGE_INVALID', 'The encrypted WeChat message has no <Encrypt>', { field: 'Encrypt' });
  }
  if (!verifyMsgSignature({ token: input.token, ...signed, encrypt, msgSignature })) throw signatureInvalid('msg_signature');
  assertWithinReplayWindow(signed.timestamp, input.replayWindowSeconds, nowMs);
  const fields = parseWechatXml(cipher.decrypt(encrypt));
  const hasPlainCopy = Object.keys(envelope).some((name) => name !== 'Encrypt' && name !== 'ToUserName');
  return { event: toWechatEvent(fields), fields, mode: hasPlainCopy ? 'compatible' : 'safe', bodyUnboundQuery: null };
}

/**
 * Verifies and opens a WeChat push. Throws AppError: 400 INVALID_QUERY, 401 WECHAT_SIGNATURE_INVALID,
 * 401 WECHAT_TIMESTAMP_OUT_OF_WINDOW, 400/413 WECHAT_XML_*, 400 WECHAT_MESSAGE_INVALID,
 * 400 WECHAT_DECRYPT_FAILED, 401 WECHAT_APPID_MISMATCH, 400 WECHAT_ENCRYPTION_REQUIRED,
 * 500 WECHAT_CONFIG_INVALID.
 */
export function openInboundMessage(input: OpenInboundMessageInput): InboundMessage {
  const nowMs = input.nowMs ?? Date.now();
  const timestamp = queryString(input.query, 'timestamp');
  const nonce = queryString(input.query, 'nonce');
  const encrypted = isEncrypted(queryString(input.query, 'encrypt_type'));
  if (timestamp === undefined || nonce === undefined) throw signatureInvalid(timestamp === undefined ? 'timestamp' : 'nonce');
  const signed = { timestamp, nonce };
  return encrypted ? openEncrypted(input, signed, nowMs) : openPlain(input, signed, nowMs);
}

export interface UrlVerificationInput {
  query: Readonly<Record<string, unknown>>;
  token: string;
  /** 0 turns the time check off; otherwise a captured signed query cannot be replayed later. */
  replayWindowSeconds?: number;
  nowMs?: number;
}

/**
 * The GET that WeChat sends when the webhook URL is saved. Returns the `echostr` to answer with,
 * unchanged, as the whole body (send it as text/plain); throws 401 when the signature is wrong, so
 * nothing is ever echoed for an unsigned request. The signature does not cover `echostr`: the
 * caller accepts a signed query with one echostr only (see SignedQueryLedger and `signedQueryOf`).
 */
export function verifyUrlVerification({ query, token, replayWindowSeconds = 0, nowMs = Date.now() }: UrlVerificationInput): string {
  const signed = {
    token,
    timestamp: queryString(query, 'timestamp'),
    nonce: queryString(query, 'nonce'),
    signature: queryString(query, 'signature'),
  };
  const echostr = queryString(query, 'echostr');
  if (!verifySignature(signed)) throw signatureInvalid('signature');
  assertWithinReplayWindow(signed.timestamp!, replayWindowSeconds, nowMs);
  if (echostr === undefined || echostr === '') throw invalidQuery('echostr', 'is required');
  return echostr;
}

/** The signed query of a request that passed verification (its values are then single plain strings). */
export function signedQueryOf(query: Readonly<Record<string, unknown>>): SignedQuery {
  const timestamp = queryString(query, 'timestamp');
  const nonce = queryString(query, 'nonce');
  const signature = queryString(query, 'signature');
  if (timestamp === undefined || nonce === undefined || signature === undefined) throw signatureInvalid(signature === undefined ? 'signature' : 'timestamp');
  return { timestamp, nonce, signature };
}
