import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * WeChat-shaped XML, written and read by the simulator itself (not by src/wechat/xml/:
 * the two implementations check each other).
 */

/** One field per child of <xml>, in the order WeChat writes them. */
export type XmlFields = Readonly<Record<string, string>>;

/** WeChat writes these bare; every other value goes in CDATA. */
const BARE_NUMBER_FIELDS = new Set(['CreateTime', 'MsgId', 'MsgID', 'TimeStamp']);

function cdata(text: string): string {
  // A "]]>" inside would end the section early: split it across two sections.
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export function buildWechatXml(fields: XmlFields): string {
  const elements = Object.entries(fields).map(([name, value]) => {
    const content = BARE_NUMBER_FIELDS.has(name) && /^\d+$/.test(value) ? value : cdata(value);
    return `<${name}>${content}</${name}>`;
  });
  return `<xml>${elements.join('')}</xml>`;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // "0123" stays "0123"
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

/** Reads a flat <xml> document. Throws an Error naming the problem when it is not one. */
export function parseWechatXml(xml: string): XmlFields {
  const validation = XMLValidator.validate(xml);
  if (validation !== true) throw new Error(`not well-formed XML: ${validation.err.msg}`);
  const document: unknown = parser.parse(xml);
  const root = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).xml : undefined;
  if (typeof root === 'string') return {}; // <xml></xml> or whitespace only
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new Error('no single <xml> root element');
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    if (name === '#text') continue; // whitespace between elements
    if (typeof value !== 'string') throw new Error(`<${name}> is not a single text element`);
    fields[name] = value;
  }
  return fields;
}
