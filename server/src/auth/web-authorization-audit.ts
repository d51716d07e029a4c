import type { AuditRecorder } from '../audit/types.js';
import type { WebAuthorizationEvent } from '../plugins/wechat/options.js';
// A cycle with create-auth.ts, harmless: the constant is read only when an event is recorded.
import { CLIENT_IP_HEADER } from './create-auth.js';

/** The sign-in method web authorization is recorded under, beside `wechat` (the QR code), `email` and `username`. */
export const WEB_AUTHORIZATION_METHOD = 'wechat-oauth';

/**
 * Web-authorization sign-ins and binds in the audit trail, like the QR ones. The callback answers
 * with a redirect whatever happens, so the plugin tells what happened rather than the audit hook
 * reading it from the response. Never the code, the state or WeChat's token: only their outcome.
 */
export function recordWebAuthorization(audit: AuditRecorder, event: WebAuthorizationEvent): void {
  const headers = event.ctx.headers ?? event.ctx.request?.headers;
  const common = {
    outcome: event.outcome,
    userId: event.userId,
    ip: headers?.get(CLIENT_IP_HEADER) || null,
    userAgent: headers?.get('user-agent') || null,
  };
  const details = {
    method: WEB_AUTHORIZATION_METHOD,
    ...(event.code ? { code: event.code } : {}),
    ...(event.openid ? { openid: event.openid } : {}),
    ...(event.isNewUser === undefined ? {} : { isNewUser: event.isNewUser }),
    ...(event.profileFilled ? { profileFilled: true } : {}),
  };
  if (event.purpose === 'bind') audit.record({ ...common, type: 'wechat.bound', details });
  else audit.record({ ...common, type: event.outcome === 'success' ? 'sign-in.succeeded' : 'sign-in.failed', details });
}
