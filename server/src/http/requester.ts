import type { Request } from 'express';
import { requestAuditMeta } from '../audit/request-meta.js';
import type { SceneRequester } from '../wechat/scenes/scene.js';

const MAX_USER_AGENT_LENGTH = 512;

/**
 * The browser asking for a QR code, as the server sees it (the same reading
 * as the audit trail's, so the IP honours TRUST_PROXY). Both end up in a chat
 * message and a page, so only what an IP address can contain is kept.
 */
export function requesterOf(req: Request): SceneRequester {
  const { ip, userAgent } = requestAuditMeta(req);
  const plainIp = (ip ?? '').replace(/^::ffff:/, '');
  return { userAgent: userAgent?.slice(0, MAX_USER_AGENT_LENGTH) || null, ip: /^[0-9A-Fa-f:.]{2,45}$/.test(plainIp) ? plainIp : null };
}
