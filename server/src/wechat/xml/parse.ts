import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../errors.js';

/**
 * WeChat's XML: read a pushed message into flat string fields. WeChat bodies are small and flat;
 * anything else (a DTD, an entity, a nested field we read, invalid UTF-8) is refused before it costs us anything.
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
