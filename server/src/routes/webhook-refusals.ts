import type { Request, RequestHandler } from 'express';
import { WECHAT_PUSH_FORGERY_CODES } from '@wechat-login/shared';
import { requestAuditMeta } from '../audit/request-meta.js';
import type { CountingAuditRecorder } from '../audit/types.js';
import { sendError } from '../http/error-response.js';
import type { RateLimiter, RateLimitResponder } from '../rate-limit/middleware.js';
import { RATE_LIMIT_RULES } from '../rate-limit/rules.js';

/**
 * What the audit trail keeps of refused webhook requests. Anyone can send them, as fast as they
 * like, so each is counted (one event per source address and reason in a window, with the count)
 * instead of stored one by one for the whole retention. None of this is on the path of a valid
 * push: it runs only for requests already refused.
 */

/** Refused pushes are stored at most once per source address and reason in this long. */
export const REFUSED_PUSH_AUDIT_WINDOW_MS = 10 * 60_000;

/** Refusals that say the push may not be WeChat's (or the Token/AESKey is wrong): worth an operator's look. */
const SIGNATURE_FAILURES: ReadonlySet<string> = new Set(WECHAT_PUSH_FORGERY_CODES);

/** Counts a push refused with `code` in the audit trail, when the code says it may be forged. */
export function auditRefusedPush(audit: CountingAuditRecorder | undefined, req: Request, code: string): void {
  if (!audit || !SIGNATURE_FAILURES.has(code)) return;
  audit.recordCounted({ type: 'webhook.signature-failed', outcome: 'failure', ...requestAuditMeta(req), details: { code } }, REFUSED_PUSH_AUDIT_WINDOW_MS);
}

/**
 * The webhook's per-address budget (`RATE_LIMIT_RULES.wechatWebhook`), the first middleware of the
 * webhook router, so it applies to exactly the path that router serves. A 429 is answered in our error
 * shape with Retry-After, and counted in the audit trail like any refused push.
 */
export function webhookRateLimit(rateLimiter: RateLimiter, audit: CountingAuditRecorder): RequestHandler {
  const respond: RateLimitResponder = (res, retryAfterSeconds) => {
    audit.recordCounted({ type: 'webhook.rate-limited', outcome: 'failure', ...requestAuditMeta(res.req), details: { code: 'RATE_LIMITED' } }, REFUSED_PUSH_AUDIT_WINDOW_MS);
    sendError(res, 429, 'RATE_LIMITED', 'Too many webhook requests from this address. Try again in a moment.', { retryAfterSeconds, details: { retryAfterSeconds } });
  };
  return rateLimiter.limitBy(() => RATE_LIMIT_RULES.wechatWebhook, respond);
}
