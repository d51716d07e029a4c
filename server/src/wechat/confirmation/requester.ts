import type { Request } from 'express';
import type { SceneRequester } from '../scenes.js';

const MAX_USER_AGENT_LENGTH = 512;

/**
 * The browser asking for a QR code, as the server sees it: its User-Agent and
 * the client IP Express computed (which honours TRUST_PROXY). Both end up in a
 * chat message and a page, so only what an IP address can contain is kept.
 */
export function requesterOf(req: Request): SceneRequester {
  const userAgent = req.get('user-agent')?.slice(0, MAX_USER_AGENT_LENGTH) ?? null;
  const ip = (req.ip ?? req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return { userAgent: userAgent || null, ip: /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : null };
}
