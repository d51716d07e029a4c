/** Passive replies to WeChat: the text answer to a push, and the safe-mode envelope around one. */

/** Characters XML 1.0 cannot carry at all, and lone UTF-16 surrogates. */
const XML_INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A CDATA section that holds any text: a `]]>` inside is split across two sections. */
export function toCdata(text: string): string {
  const safe = text.replace(XML_INVALID_CHARS, '').replaceAll(']]>', ']]]]><![CDATA[>');
  return `<![CDATA[${safe}]]>`;
}

export interface TextReplyInput {
  /** The user's openid (the FromUserName of the message we answer). */
  toUser: string;
  /** Our account's gh_ id (the ToUserName of the message we answer). */
  fromUser: string;
  content: string;
  createTimeSeconds: number;
}

export function buildTextReplyXml({ toUser, fromUser, content, createTimeSeconds }: TextReplyInput): string {
  if (!Number.isSafeInteger(createTimeSeconds) || createTimeSeconds < 0) {
    throw new RangeError('createTimeSeconds must be a non-negative integer');
  }
  return (
    `<xml><ToUserName>${toCdata(toUser)}</ToUserName><FromUserName>${toCdata(fromUser)}</FromUserName>` +
    `<CreateTime>${createTimeSeconds}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content>${toCdata(content)}</Content></xml>`
  );
}

export interface EncryptedReplyXmlInput {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export function buildEncryptedReplyXml({ encrypt, msgSignature, timestamp, nonce }: EncryptedReplyXmlInput): string {
  if (!/^\d+$/.test(timestamp)) throw new RangeError('timestamp must be decimal seconds');
  return (
    `<xml><Encrypt>${toCdata(encrypt)}</Encrypt><MsgSignature>${toCdata(msgSignature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${toCdata(nonce)}</Nonce></xml>`
  );
}
