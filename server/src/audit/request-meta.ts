import type { Request } from 'express';

/** Where a request came from, as our Express routes see it (`req.ip` honours TRUST_PROXY). */
export function requestAuditMeta(req: Request): { ip: string | null; userAgent: string | null } {
  return { ip: req.ip ?? req.socket.remoteAddress ?? null, userAgent: req.get('user-agent') ?? null };
}
