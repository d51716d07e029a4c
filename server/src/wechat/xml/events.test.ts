import { describe, expect, it } from 'vitest';
import { parseWechatXml, type WechatXmlFields } from './parse.js';
import { toWechatEvent } from './events.js';

/** A follower's scan as WeChat pushes it (wechat-protocol.md section 3). */
const SCAN_XML =
  '<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>' +
  '<CreateTime>1714112445</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SCAN]]></Event>' +
  '<EventKey><![CDATA[scene_123]]></EventKey><Ticket><![CDATA[gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Brb3ZhYmJJAAIEZ23sUwMEmm3sUw==]]></Ticket></xml>';

describe('toWechatEvent', () => {
  const common = { ToUserName: 'gh_1', FromUserName: 'openid-1', CreateTime: '1714112445' };
  const eventOf = (fields: Record<string, string>) => toWechatEvent({ ...common, ...fields } as WechatXmlFields);

  it('reads a first-time scan (subscribe with qrscene_)', () => {
    expect(eventOf({ MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_abc', Ticket: 'T' })).toEqual({
      kind: 'subscribe-with-scene',
      sceneStr: 'abc',
      ticket: 'T',
      toUserName: 'gh_1',
      fromUserName: 'openid-1',
      createTimeSeconds: 1714112445,
      dedupeKey: 'event:openid-1:1714112445:subscribe:qrscene_abc',
    });
  });

  it('reads a scan by a follower (SCAN without prefix), from parsed XML', () => {
    const event = toWechatEvent(parseWechatXml(SCAN_XML));
    expect(event).toMatchObject({ kind: 'scan', sceneStr: 'scene_123', fromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', toUserName: 'gh_97417a04a28d' });
    expect(event.kind === 'scan' && event.ticket).toMatch(/^gQH47j/);
  });

  it('reads plain follows, unfollows and text messages', () => {
    expect(eventOf({ MsgType: 'event', Event: 'subscribe' }).kind).toBe('subscribe');
    expect(eventOf({ MsgType: 'event', Event: 'subscribe', EventKey: '' }).kind).toBe('subscribe');
    expect(eventOf({ MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_' }).kind).toBe('subscribe');
    expect(eventOf({ MsgType: 'event', Event: 'unsubscribe' }).kind).toBe('unsubscribe');
    expect(eventOf({ MsgType: 'text', Content: 'hi', MsgId: '42' })).toMatchObject({ kind: 'text', content: 'hi', msgId: '42', dedupeKey: 'msg:42' });
  });

  it('gives everything else as other', () => {
    expect(eventOf({ MsgType: 'event', Event: 'CLICK', EventKey: 'menu' })).toMatchObject({ kind: 'other', msgType: 'event', event: 'CLICK' });
    expect(eventOf({ MsgType: 'event', Event: 'SCAN', EventKey: '' })).toMatchObject({ kind: 'other' });
    expect(eventOf({ MsgType: 'image' })).toMatchObject({ kind: 'other', msgType: 'image', event: null });
  });

  it('does not take a SCAN key with the subscribe prefix as a scene of subscribe', () => {
    expect(eventOf({ MsgType: 'event', Event: 'SCAN', EventKey: 'qrscene_abc' })).toMatchObject({ kind: 'scan', sceneStr: 'qrscene_abc' });
  });

  it.each(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType'])('refuses a message without %s', (field) => {
    const fields: Record<string, string> = { ...common, MsgType: 'event', Event: 'SCAN', EventKey: 'x' };
    delete fields[field];
    expect(() => toWechatEvent(fields)).toThrow(expect.objectContaining({ code: 'WECHAT_MESSAGE_INVALID', status: 400 }));
  });

  it('refuses a non-numeric CreateTime', () => {
    expect(() => eventOf({ MsgType: 'text', CreateTime: '12e3' })).toThrow(expect.objectContaining({ code: 'WECHAT_MESSAGE_INVALID' }));
  });
});
