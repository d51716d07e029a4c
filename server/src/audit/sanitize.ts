import type { AuditDetailValue } from '@wechat-login/shared';
import type { AuditEventInput } from './types.js';
import { isSecretKey, isSecretValue } from '../secret-words.js';
import { redactUrlsInText } from '../http/redact-url.js';

export { isSecretKey };

export const MAX_DETAIL_KEYS = 20;
export const MAX_DETAIL_KEY_LENGTH = 40;
export const MAX_DETAIL_STRING_LENGTH = 200;
export const MAX_USER_AGENT_LENGTH = 512;
export const MAX_IP_LENGTH = 64;

/** An error code (`INVALID_PASSWORD`, WeChat's 40001): safe to keep under a `code` key, unlike an OAuth or confirmation code. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/** Ids we store: ObjectId hex and similar opaque ids. Anything else (an operator object, a 5 kB string) becomes null. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `code`, `errorCode`, `errcode`: error codes; any other value there may be a one-time (OAuth, confirmation) code and is dropped. */
function isCodeKey(key: string): boolean {
  return /code$/i.test(key);
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

function sanitizeValue(key: string, value: unknown): AuditDetailValue | undefined {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return undefined;
  if (isCodeKey(key) && !ERROR_CODE.test(value)) return undefined;
  if (isSecretValue(value)) return undefined;
  // A URL kept as a fact (a callback, an API path) keeps its query names, never their secret values.
  return truncate(redactUrlsInText(value), MAX_DETAIL_STRING_LENGTH);
}

/** Keeps flat, non-secret facts only: secret-looking keys, nested values and oversized strings never reach the database. */
export function sanitizeDetails(details: Record<string, unknown> | undefined): Record<string, AuditDetailValue> {
  const clean: Record<string, AuditDetailValue> = {};
  if (!details || typeof details !== 'object') return clean;
  for (const [key, value] of Object.entries(details)) {
    if (Object.keys(clean).length >= MAX_DETAIL_KEYS) break;
    // `$` and `.` would be operators or paths in MongoDB; long keys are not facts.
    if (key.length === 0 || key.length > MAX_DETAIL_KEY_LENGTH || /[$.]/.test(key) || isSecretKey(key)) continue;
    const kept = sanitizeValue(key, value);
    if (kept !== undefined) clean[key] = kept;
  }
  return clean;
}

function sanitizeId(id: unknown): string | null {
  return typeof id === 'string' && ID_PATTERN.test(id) ? id : null;
}

function sanitizeText(text: unknown, maxLength: number): string | null {
  if (typeof text !== 'string') return null;
  // Control characters would let a forged user agent fake extra lines in an export or a log.
  const printable = text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return printable === '' ? null : truncate(printable, maxLength);
}

export interface SanitizedEvent {
  type: AuditEventInput['type'];
  outcome: AuditEventInput['outcome'];
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, AuditDetailValue>;
}

/** The event as it may be stored: ids checked, texts bounded, details stripped of anything secret. */
export function sanitizeEvent(event: AuditEventInput): SanitizedEvent {
  return {
    type: event.type,
    outcome: event.outcome === 'success' ? 'success' : 'failure',
    userId: sanitizeId(event.userId),
    actorId: sanitizeId(event.actorId),
    ip: sanitizeText(event.ip, MAX_IP_LENGTH),
    userAgent: sanitizeText(event.userAgent, MAX_USER_AGENT_LENGTH),
    details: sanitizeDetails(event.details),
  };
}
