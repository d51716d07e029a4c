import { describe, expect, it } from 'vitest';
import { parseWechatXml } from './parse.js';
import { buildEncryptedReplyXml, buildTextReplyXml, toCdata } from './reply.js';

describe('reply builders', () => {
  it('builds the passive text reply of section 3', () => {
    const xml = buildTextReplyXml({ toUser: 'o9AgO5', fromUser: 'gh_97417a04a28d', content: 'Signed in', createTimeSeconds: 1714112445 });
    expect(xml).toBe(
      '<xml><ToUserName><![CDATA[o9AgO5]]></ToUserName><FromUserName><![CDATA[gh_97417a04a28d]]></FromUserName>' +
        '<CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[Signed in]]></Content></xml>',
    );
    expect(parseWechatXml(xml)).toEqual({ ToUserName: 'o9AgO5', FromUserName: 'gh_97417a04a28d', CreateTime: '1714112445', MsgType: 'text', Content: 'Signed in' });
  });

  it('keeps "]]>" and markup inside content from breaking out of CDATA', () => {
    const hostile = 'a]]></Content><MsgType>news</MsgType><Content><![CDATA[b ]]]]> <!DOCTYPE x>';
    const xml = buildTextReplyXml({ toUser: 'o', fromUser: 'gh', content: hostile, createTimeSeconds: 1 });
    const fields = parseWechatXml(xml);
    expect(fields.Content).toBe(hostile);
    expect(fields.MsgType).toBe('text');
  });

  it('drops characters XML cannot carry', () => {
    expect(toCdata('a\u0000b\u0008c\td\ne\uD800f😀')).toBe('<![CDATA[abc\td\nef😀]]>');
  });

  it('refuses a CreateTime that is not whole seconds', () => {
    expect(() => buildTextReplyXml({ toUser: 'o', fromUser: 'gh', content: '', createTimeSeconds: 1.5 })).toThrow(RangeError);
  });

  it('builds the encrypted reply envelope of section 2 and reads it back', () => {
    const envelope = {
      encrypt: 'ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==',
      msgSignature: '1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1',
      timestamp: '1713424427',
      nonce: '415670741',
    };
    const xml = buildEncryptedReplyXml(envelope);
    expect(xml).toBe(
      `<xml><Encrypt><![CDATA[${envelope.encrypt}]]></Encrypt><MsgSignature><![CDATA[${envelope.msgSignature}]]></MsgSignature>` +
        `<TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>`,
    );
    expect(parseWechatXml(xml)).toEqual({ Encrypt: envelope.encrypt, MsgSignature: envelope.msgSignature, TimeStamp: '1713424427', Nonce: '415670741' });
    expect(() => buildEncryptedReplyXml({ ...envelope, timestamp: '1<x>' })).toThrow(RangeError);
  });
});
