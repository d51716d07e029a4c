import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { MAX_WECHAT_XML_BYTES, parseWechatXml } from './parse.js';

function xmlOf(fields: Record<string, string>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`)
    .join('');
  return `<xml>${body}</xml>`;
}

function parseError(body: string | Buffer): AppError {
  try {
    parseWechatXml(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected parseWechatXml to throw');
}

const SCAN_XML = `<xml>
  <ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>
  <FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>
  <CreateTime>1714112445</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[SCAN]]></Event>
  <EventKey><![CDATA[scene_123]]></EventKey>
  <Ticket><![CDATA[gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Brb3ZhYmJJAAIEZ23sUwMEmm3sUw==]]></Ticket>
</xml>`;

describe('parseWechatXml', () => {
  it('reads a SCAN event into flat string fields', () => {
    expect(parseWechatXml(SCAN_XML)).toEqual({
      ToUserName: 'gh_97417a04a28d',
      FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
      CreateTime: '1714112445',
      MsgType: 'event',
      Event: 'SCAN',
      EventKey: 'scene_123',
      Ticket: 'gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Brb3ZhYmJJAAIEZ23sUwMEmm3sUw==',
    });
  });

  it('accepts a Buffer, a declaration, a BOM and comments', () => {
    const body = Buffer.from(`\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!-- pushed --><xml><MsgId>1</MsgId></xml>\n`);
    expect(parseWechatXml(body)).toEqual({ MsgId: '1' });
  });

  it('keeps numbers as strings, whitespace and empty elements as sent', () => {
    const fields = parseWechatXml('<xml><CreateTime>0123</CreateTime><MsgId>1234567890123456789</MsgId><A> x </A><B></B><C/></xml>');
    expect(fields).toEqual({ CreateTime: '0123', MsgId: '1234567890123456789', A: ' x ', B: '', C: '' });
  });

  it('reads CDATA literally and decodes only the predefined entities in text', () => {
    const fields = parseWechatXml('<xml><A><![CDATA[a &amp; <b>]]></A><B>1 &lt; 2 &amp;&#65;&#x4e2d;</B><C>x<![CDATA[]]]]><![CDATA[>]]>y</C></xml>');
    expect(fields).toEqual({ A: 'a &amp; <b>', B: '1 < 2 &A中', C: 'x]]>y' });
  });

  it('reads UTF-8 text', () => {
    expect(parseWechatXml(Buffer.from(xmlOf({ Content: '你好，世界 👋' }))).Content).toBe('你好，世界 👋');
  });

  it('leaves out nested structures it never reads', () => {
    const body = '<xml><Event>scancode_push</Event><ScanCodeInfo><ScanType>qrcode</ScanType></ScanCodeInfo></xml>';
    expect(parseWechatXml(body)).toEqual({ Event: 'scancode_push' });
  });

  it('gives a null-prototype record: no inherited members to confuse with fields', () => {
    const fields = parseWechatXml('<xml><A>1</A></xml>');
    expect(fields.toString).toBeUndefined();
    expect(fields.constructor).toBeUndefined();
  });

  it('accepts a body of exactly the size limit', () => {
    const skeleton = '<xml><Content></Content></xml>';
    const body = skeleton.replace('</Content>', `${'a'.repeat(MAX_WECHAT_XML_BYTES - skeleton.length)}</Content>`);
    expect(Buffer.byteLength(body)).toBe(MAX_WECHAT_XML_BYTES);
    expect(parseWechatXml(body).Content).toHaveLength(MAX_WECHAT_XML_BYTES - skeleton.length);
  });

  it.each([
    ['a string', (body: string) => body],
    ['a Buffer', (body: string) => Buffer.from(body)],
  ])('refuses %s over the limit with 413 WECHAT_XML_TOO_LARGE, counting bytes', (_label, wrap) => {
    const body = `<xml><Content>${'中'.repeat(MAX_WECHAT_XML_BYTES / 3)}</Content></xml>`;
    const error = parseError(wrap(body));
    expect(error.code).toBe('WECHAT_XML_TOO_LARGE');
    expect(error.status).toBe(413);
  });

  it.each([
    ['an internal DTD with an entity', '<!DOCTYPE xml [<!ENTITY x "boom">]><xml><A>&x;</A></xml>'],
    ['an external entity', '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><A>&x;</A></xml>'],
    ['a billion-laughs DTD', '<!DOCTYPE l [<!ENTITY a "aa"><!ENTITY b "&a;&a;&a;">]><xml><A>&b;</A></xml>'],
    ['a lowercase doctype', '<!doctype xml><xml><A>1</A></xml>'],
    ['a DOCTYPE after a CDATA-looking comment', '<!-- <![CDATA[ --><!DOCTYPE x><xml><A>]]></A></xml>'],
  ])('refuses %s with WECHAT_XML_FORBIDDEN_DTD', (_label, body) => {
    const error = parseError(body);
    expect(error.code).toBe('WECHAT_XML_FORBIDDEN_DTD');
    expect(error.status).toBe(400);
  });

  it('allows the text "<!DOCTYPE" inside CDATA, where it is only text', () => {
    expect(parseWechatXml(xmlOf({ Content: '<!DOCTYPE html>' })).Content).toBe('<!DOCTYPE html>');
  });

  it.each([
    ['an empty body', ''],
    ['plain text', 'success'],
    ['JSON', '{"ToUserName":"gh_1"}'],
    ['an unclosed root', '<xml><A>1</A>'],
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['an unterminated CDATA', '<xml><A><![CDATA[1</A></xml>'],
    ['another root name', '<root><A>1</A></root>'],
    ['two roots', '<xml><A>1</A></xml><xml><A>2</A></xml>'],
    ['text directly in the root', '<xml>hello<A>1</A></xml>'],
    ['a duplicated field', '<xml><FromUserName>a</FromUserName><FromUserName>b</FromUserName></xml>'],
    ['a duplicated structure', '<xml><X><Y>1</Y></X><X><Y>2</Y></X></xml>'],
    ['a field we read holding elements', '<xml><FromUserName><X>a</X></FromUserName></xml>'],
    ['an unknown entity', '<xml><A>&nbsp;</A></xml>'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>'],
    ['a NUL character reference', '<xml><A>&#0;</A></xml>'],
    ['a surrogate character reference', '<xml><A>&#xD800;</A></xml>'],
    ['a __proto__ field', '<xml><__proto__>1</__proto__></xml>'],
    ['a constructor field', '<xml><constructor>1</constructor></xml>'],
    ['a toString field', '<xml><toString>1</toString></xml>'],
    ['a field the parser would rename into a duplicate', '<xml><valueOf>1</valueOf><__valueOf>2</__valueOf></xml>'],
    ['nesting deeper than any WeChat message', `<xml>${'<a>'.repeat(40)}x${'</a>'.repeat(40)}</xml>`],
  ])('refuses %s with WECHAT_XML_MALFORMED', (_label, body) => {
    const error = parseError(body);
    expect(error.code).toBe('WECHAT_XML_MALFORMED');
    expect(error.status).toBe(400);
  });

  it('refuses a body that is not UTF-8', () => {
    expect(parseError(Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xff, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e])).code).toBe('WECHAT_XML_MALFORMED');
  });
});
