import { timingSafeEqual } from 'node:crypto';
import WXCrypto from 'wechat-crypto';
import { AppError } from '../errors.js';
import type { MessageMode } from './options.js';
import { sha1OfSorted } from './push-envelope.js';
import { parseWechatXml, type XmlFields } from './simulator-xml.js';

/**
 * Reads the webhook's answer the way WeChat does: `success` or an empty body means "no reply";
 * anything else must be a passive reply XML, encrypted and signed in safe mode. A reply WeChat
 * would refuse (the user sees "该公众号暂时无法提供服务") throws, so tests notice.
 */

export interface ReplyContext {
  token: string;
  appId: string;
  encodingAESKey: string | undefined;
  mode: MessageMode;
}

function refused(reason: string, body: string): AppError {
  return new AppError(502, 'WECHAT_SIMULATOR_REPLY_REFUSED', `WeChat would refuse this reply: ${reason}`, {
    body: body.slice(0, 2000),
  });
}

function parseOrRefuse(xml: string, what: string, body: string): XmlFields {
  try {
    return parseWechatXml(xml);
  } catch (error) {
    throw refused(`${what} is ${error instanceof Error ? error.message : 'unreadable'}`, body);
  }
}

function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

function decryptReply(outer: XmlFields, context: ReplyContext, body: string): XmlFields {
  const { Encrypt: encrypt = '', MsgSignature: msgSignature = '', TimeStamp: timestamp = '', Nonce: nonce = '' } = outer;
  if (context.encodingAESKey === undefined) throw refused('it is encrypted but no EncodingAESKey is configured', body);
  if (!signaturesMatch(sha1OfSorted([context.token, timestamp, nonce, encrypt]), msgSignature)) {
    throw refused('its MsgSignature does not match sha1(sort(token, TimeStamp, Nonce, Encrypt))', body);
  }
  let decrypted: { message: string; id: string };
  try {
    decrypted = new WXCrypto(context.token, context.encodingAESKey, context.appId).decrypt(encrypt);
  } catch (error) {
    throw refused(`its Encrypt does not decrypt (${error instanceof Error ? error.message : 'unknown error'})`, body);
  }
  if (decrypted.id !== context.appId) throw refused(`it is sealed for appid '${decrypted.id}', not ours`, body);
  return parseOrRefuse(decrypted.message, 'the decrypted message', body);
}

/** The reply's fields (decrypted when it was encrypted), or null for `success` / an empty body. */
export function readPassiveReply(body: string, context: ReplyContext): XmlFields | null {
  const trimmed = body.trim();
  if (trimmed === '' || trimmed === 'success') return null;
  const outer = parseOrRefuse(trimmed, 'the body', body);
  if (outer.Encrypt !== undefined) return decryptReply(outer, context, body);
  if (context.mode === 'safe') throw refused('safe mode needs an encrypted reply', body);
  return outer;
}
