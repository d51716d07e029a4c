import { AppError } from '../../errors.js';
import type { WechatXmlFields } from './parse.js';

/**
 * What a parsed WeChat message means for QR login: a scan, a follow with a scene, a text, or
 * something else, with the key that makes WeChat's retries of one delivery look alike.
 */

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
