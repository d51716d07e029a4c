import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../errors.js';

/**
 * WeChat's XML: read a pushed message into flat string fields, and write passive replies.
 * WeChat bodies are small and flat; anything else is refused before it costs us anything.
 */

/** WeChat messages are a few hundred bytes; 64 KiB leaves room and bounds the parser's work. */
export const MAX_WECHAT_XML_BYTES = 64 * 1024;

/** One field per child of <xml>, values exactly as sent (CreateTime stays a string). */
export type WechatXmlFields = Readonly<Record<string, string>>;

/** Fields we read: they must be plain text, never a nested structure. */
const TEXT_ONLY_FIELDS = new Set([
  'ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event', 'EventKey', 'Ticket', 'Content', 'MsgId',
  'Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce',
]);

/** The five predefined XML entities and character references: the only references we decode. */
const REFERENCE_PATTERN = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/g;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const parser = new XMLParser({
  preserveOrder: true, // keeps duplicates and text/CDATA order visible so we can refuse them
  processEntities: false, // no entity expansion at all; we decode the predefined five ourselves
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false, // numbers stay strings: "0123" must not become 123
  trimValues: false,
  cdataPropName: '#cdata',
  maxNestedTags: 16,
  // The parser would silently rename <toString> to <__toString>; WeChat never sends such names.
  onDangerousProperty: (name) => {
    throw new Error(`reserved element name <${name}>`);
  },
});

function malformed(reason: string): AppError {
  return new AppError(400, 'WECHAT_XML_MALFORMED', `The WeChat message is not well-formed XML: ${reason}`);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBody(body: string | Buffer): string {
  const byteLength = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (byteLength > MAX_WECHAT_XML_BYTES) {
    // 413: the request itself is too large, whatever it says.
    throw new AppError(413, 'WECHAT_XML_TOO_LARGE', `The WeChat message is larger than ${MAX_WECHAT_XML_BYTES} bytes`, {
      maxBytes: MAX_WECHAT_XML_BYTES,
    });
  }
  if (typeof body === 'string') return body.replace(/^\uFEFF/, '');
  try {
    return strictUtf8.decode(body); // TextDecoder drops a leading BOM itself
  } catch {
    throw malformed('the body is not valid UTF-8');
  }
}

/** True when the text holds a markup declaration (<!DOCTYPE, <!ENTITY, ...) outside CDATA and comments. */
function hasMarkupDeclaration(xml: string): boolean {
  let index = xml.indexOf('<!');
  while (index !== -1) {
    const skipTo = xml.startsWith('<![CDATA[', index) ? ']]>' : xml.startsWith('<!--', index) ? '-->' : null;
    if (skipTo === null) return true;
    const end = xml.indexOf(skipTo, index + 4);
    if (end === -1) return false; // unterminated: the validator refuses it next
    index = xml.indexOf('<!', end + skipTo.length);
  }
  return false;
}

function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  if (raw.replace(REFERENCE_PATTERN, '').includes('&')) throw malformed('unknown entity reference');
  return raw.replace(REFERENCE_PATTERN, (_match, hex?: string, decimal?: string, named?: string) => {
    if (named !== undefined) return NAMED_ENTITIES[named] ?? '';
    const codePoint = Number.parseInt(hex ?? decimal ?? '', hex === undefined ? 10 : 16);
    const isValid = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
    if (!isValid) throw malformed('invalid character reference');
    return String.fromCodePoint(codePoint);
  });
}

type OrderedNode = Record<string, unknown>;

function asNodes(value: unknown): OrderedNode[] {
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

function nodeName(node: OrderedNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

/** The text of a leaf element (text and CDATA in order), or null when it holds elements. */
function leafText(children: OrderedNode[]): string | null {
  let text = '';
  for (const child of children) {
    const name = nodeName(child);
    if (name === '#text') text += decodeReferences(String(child[name]));
    else if (name === '#cdata') text += asNodes(child[name]).map((part) => String(part['#text'] ?? '')).join('');
    else return null;
  }
  return text;
}

function collectFields(rootChildren: OrderedNode[]): WechatXmlFields {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const seen = new Set<string>();
  for (const child of rootChildren) {
    const name = nodeName(child);
    if (name === '#text') {
      if (String(child[name]).trim() !== '') throw malformed('text directly inside <xml>');
      continue;
    }
    if (name === '#cdata') throw malformed('CDATA directly inside <xml>');
    if (seen.has(name)) throw malformed(`<${name}> appears twice`);
    seen.add(name);
    const text = leafText(asNodes(child[name]));
    if (text !== null) fields[name] = text;
    // Structures we never read (ScanCodeInfo, SendPicsInfo, ...) are left out, but not in our fields.
    else if (TEXT_ONLY_FIELDS.has(name)) throw malformed(`<${name}> must hold text, not elements`);
  }
  return fields;
}

/**
 * Parses a WeChat message body. Throws AppError 413 WECHAT_XML_TOO_LARGE, 400
 * WECHAT_XML_FORBIDDEN_DTD or 400 WECHAT_XML_MALFORMED; never anything else.
 */
export function parseWechatXml(body: string | Buffer): WechatXmlFields {
  const xml = decodeBody(body);
  if (hasMarkupDeclaration(xml)) {
    throw new AppError(400, 'WECHAT_XML_FORBIDDEN_DTD', 'The WeChat message must not contain DOCTYPE or ENTITY declarations');
  }
  const validation = XMLValidator.validate(xml);
  if (validation !== true) throw malformed(validation.err.msg);
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : 'unreadable');
  }
  const topLevel = asNodes(document).filter((node) => nodeName(node) !== '#text' || String(node['#text']).trim() !== '');
  const root = topLevel[0];
  if (topLevel.length !== 1 || root === undefined || nodeName(root) !== 'xml') {
    throw malformed('the document must have exactly one <xml> root element');
  }
  return collectFields(asNodes(root.xml));
}

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

interface WechatMessageBase {
  /** Our account's gh_ id. */
  toUserName: string;
  /** The user's openid. */
  fromUserName: string;
  createTimeSeconds: number;
  /** Equal for WeChat's retries of one delivery: MsgId, else FromUserName + CreateTime + Event + EventKey. */
  dedupeKey: string;
}

/** The messages QR login cares about (wechat-protocol.md section 3); everything else is `other`. */
export type WechatEvent = WechatMessageBase &
  (
    | { kind: 'subscribe-with-scene'; sceneStr: string; ticket: string | null }
    | { kind: 'scan'; sceneStr: string; ticket: string | null }
    | { kind: 'subscribe' }
    | { kind: 'unsubscribe' }
    | { kind: 'text'; content: string; msgId: string | null }
    | { kind: 'other'; msgType: string; event: string | null }
  );

const SUBSCRIBE_SCENE_PREFIX = 'qrscene_';

function requiredField(fields: WechatXmlFields, name: string): string {
  const value = fields[name];
  if (value === undefined || value === '') {
    throw new AppError(400, 'WECHAT_MESSAGE_INVALID', `The WeChat message has no <${name}>`, { field: name });
  }
  return value;
}

export function toWechatEvent(fields: WechatXmlFields): WechatEvent {
  const createTime = requiredField(fields, 'CreateTime');
  if (!/^\d{1,12}$/.test(createTime)) {
    throw new AppError(400, 'WECHAT_MESSAGE_INVALID', 'The WeChat message has a non-numeric <CreateTime>', { field: 'CreateTime' });
  }
  const msgType = requiredField(fields, 'MsgType');
  const event = fields.Event ?? null;
  const eventKey = fields.EventKey ?? '';
  const msgId = fields.MsgId || null;
  const base: WechatMessageBase = {
    toUserName: requiredField(fields, 'ToUserName'),
    fromUserName: requiredField(fields, 'FromUserName'),
    createTimeSeconds: Number(createTime),
    dedupeKey: msgId === null ? `event:${fields.FromUserName}:${createTime}:${event ?? ''}:${eventKey}` : `msg:${msgId}`,
  };
  const ticket = fields.Ticket || null;
  if (msgType === 'text') return { ...base, kind: 'text', content: fields.Content ?? '', msgId };
  if (msgType === 'event') {
    // WeChat spells these `subscribe`, `unsubscribe`, `SCAN`; case is not worth a failed login.
    const eventName = (event ?? '').toLowerCase();
    if (eventName === 'subscribe') {
      const sceneStr = eventKey.startsWith(SUBSCRIBE_SCENE_PREFIX) ? eventKey.slice(SUBSCRIBE_SCENE_PREFIX.length) : '';
      return sceneStr === '' ? { ...base, kind: 'subscribe' } : { ...base, kind: 'subscribe-with-scene', sceneStr, ticket };
    }
    if (eventName === 'scan' && eventKey !== '') return { ...base, kind: 'scan', sceneStr: eventKey, ticket };
    if (eventName === 'unsubscribe') return { ...base, kind: 'unsubscribe' };
  }
  return { ...base, kind: 'other', msgType, event };
}
