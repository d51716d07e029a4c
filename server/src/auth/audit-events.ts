import type { AuditEventInput, AuditEventType } from '../audit/types.js';
import { isSecretKey } from '../audit/sanitize.js';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { WECHAT_PROVIDER_ID } from '../plugins/wechat/schema.js';
import { OIDC_DESCRIBERS } from './oidc/audit-events.js';

/** What the audit hook knows about a finished better-auth call, read from its context. */
export interface AuditedCall {
  path: string;
  /** The request body as sent (it may hold a password: only named fields are read from it). */
  body: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  /** The endpoint's result, or the error code it failed with. */
  result: { ok: true; value: Record<string, unknown> } | { ok: false; code: string };
  /** The signed-in caller, when the endpoint checked a session. */
  sessionUserId: string | null;
  /** The user a new session was created for (a successful sign-in). */
  newSessionUserId: string | null;
  /** The client id of an HTTP Basic Authorization header (the OAuth client authenticating); never its secret. */
  basicAuthClientId: string | null;
  /** Looks up who a failed sign-in was for, so it lands in that user's history. */
  findUserId(by: 'email' | 'username', value: string): Promise<string | null>;
}

type EventDescriber = (call: AuditedCall) => Promise<AuditEventInput | null> | AuditEventInput | null;

const SIGN_IN_METHODS = { '/sign-in/email': 'email', '/sign-in/username': 'username', [WECHAT_AUTH_ENDPOINTS.signInWechat]: WECHAT_PROVIDER_ID } as const;
type SignInPath = keyof typeof SIGN_IN_METHODS;

const ADMIN_EVENTS: Record<string, AuditEventType> = {
  '/admin/set-user-password': 'admin.password-set',
  '/admin/update-user': 'admin.user-updated',
  '/admin/ban-user': 'admin.user-banned',
  '/admin/unban-user': 'admin.user-unbanned',
  '/admin/set-role': 'admin.role-set',
};

function base(call: AuditedCall): Pick<AuditEventInput, 'outcome' | 'ip' | 'userAgent'> & { details: Record<string, string | number | boolean | null> } {
  return {
    outcome: call.result.ok ? 'success' : 'failure',
    ip: call.ip,
    userAgent: call.userAgent,
    details: call.result.ok ? {} : { code: call.result.code },
  };
}

function shortString(value: unknown, maxLength = 256): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : null;
}

/**
 * Who a sign-in was for. A failed attempt is attributed only to an existing
 * user: the identifier typed is never stored, since people paste passwords
 * into the username field.
 */
async function signInUserId(call: AuditedCall, path: SignInPath): Promise<string | null> {
  if (call.result.ok) return call.newSessionUserId ?? shortString((call.result.value.user as { id?: unknown } | undefined)?.id);
  if (path === '/sign-in/email') {
    const email = shortString(call.body.email);
    return email ? call.findUserId('email', email.toLowerCase()) : null;
  }
  if (path === '/sign-in/username') {
    const username = shortString(call.body.username, 64);
    return username ? call.findUserId('username', username.toLowerCase()) : null;
  }
  return null;
}

async function describeSignIn(call: AuditedCall, path: SignInPath): Promise<AuditEventInput> {
  const event = base(call);
  return {
    ...event,
    type: call.result.ok ? 'sign-in.succeeded' : 'sign-in.failed',
    userId: await signInUserId(call, path),
    details: { method: SIGN_IN_METHODS[path], ...event.details },
  };
}

/** Bind/unbind by the signed-in user; a call without a session is nobody's event. */
function describeWechatBinding(type: 'wechat.bound' | 'wechat.unbound'): EventDescriber {
  return (call) => {
    if (!call.sessionUserId) return null;
    const event = base(call);
    const openid = call.result.ok ? shortString(call.result.value.openid, 128) : null;
    return { ...event, type, userId: call.sessionUserId, details: openid ? { ...event.details, openid } : event.details };
  };
}

/** What an admin action changed, as field names or small facts; never a value that could be a secret. */
function adminDetails(path: string, body: Record<string, unknown>): Record<string, string | number | null> {
  if (path === '/admin/update-user') {
    const data = body.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : {};
    return { fields: Object.keys(data).filter((key) => !isSecretKey(key)).sort().join(',') };
  }
  if (path === '/admin/set-role') {
    const role = Array.isArray(body.role) ? body.role.filter((r) => typeof r === 'string').join(',') : shortString(body.role, 100);
    return { role: role || null };
  }
  if (path === '/admin/ban-user') {
    return { reason: shortString(body.banReason, 200), expiresInSeconds: typeof body.banExpiresIn === 'number' ? body.banExpiresIn : null };
  }
  return {};
}

/** Admin actions: the admin is the actor, the target the user. Calls without a session (401) are not recorded. */
function describeAdminAction(type: AuditEventType): EventDescriber {
  return (call) => {
    if (!call.sessionUserId) return null;
    const event = base(call);
    return {
      ...event,
      type,
      userId: shortString(call.body.userId, 64),
      actorId: call.sessionUserId,
      details: { ...adminDetails(call.path, call.body), ...event.details },
    };
  };
}

const DESCRIBERS: Record<string, EventDescriber> = {
  ...Object.fromEntries(Object.keys(SIGN_IN_METHODS).map((path) => [path, (call: AuditedCall) => describeSignIn(call, path as SignInPath)])),
  [WECHAT_AUTH_ENDPOINTS.bindWechat]: describeWechatBinding('wechat.bound'),
  [WECHAT_AUTH_ENDPOINTS.unbindWechat]: describeWechatBinding('wechat.unbound'),
  ...Object.fromEntries(Object.entries(ADMIN_EVENTS).map(([path, type]) => [path, describeAdminAction(type)])),
  ...OIDC_DESCRIBERS,
};

export const AUDITED_AUTH_PATHS: ReadonlySet<string> = new Set(Object.keys(DESCRIBERS));

/** The audit event for a finished better-auth call, or null when the path is not audited or the call is nobody's. */
export async function describeAuthCall(call: AuditedCall): Promise<AuditEventInput | null> {
  const describe = DESCRIBERS[call.path];
  return describe ? describe(call) : null;
}
