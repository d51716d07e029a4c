import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware, isAPIError } from 'better-auth/api';
import type { AuditRecorder } from '../audit/types.js';
import type { Logger } from '../logger.js';
import { AUDITED_AUTH_PATHS, describeAuthCall, type AuditedCall } from './audit-events.js';
// A cycle with create-auth.ts, harmless: the constant is read only when a hook runs.
import { CLIENT_IP_HEADER } from './create-auth.js';
import { basicAuthClientId } from './oidc/client-id.js';

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0] & {
  context: { returned?: unknown; session?: { user?: { id?: string } } | null; newSession?: { user?: { id?: string } } | null };
};

/**
 * better-auth's result for the call: the JSON it returns, or the code of the APIError it threw (our
 * plugins' `code`, or the OAuth provider's standard `error` such as invalid_grant).
 */
function resultOf(returned: unknown): AuditedCall['result'] {
  if (isAPIError(returned)) {
    const body = returned.body as { code?: unknown; error?: unknown } | undefined;
    const code = body?.code ?? body?.error;
    return { ok: false, code: typeof code === 'string' && code !== '' ? code : String(returned.status) };
  }
  if (returned instanceof Response) return returned.ok ? { ok: true, value: {} } : { ok: false, code: String(returned.status) };
  return { ok: true, value: returned && typeof returned === 'object' ? (returned as Record<string, unknown>) : {} };
}

function auditedCallOf(ctx: HookContext): AuditedCall {
  const headers = ctx.headers ?? ctx.request?.headers;
  return {
    path: ctx.path ?? '',
    body: ctx.body && typeof ctx.body === 'object' ? (ctx.body as Record<string, unknown>) : {},
    ip: headers?.get(CLIENT_IP_HEADER) || null,
    userAgent: headers?.get('user-agent') || null,
    basicAuthClientId: safely(() => basicAuthClientId(headers?.get('authorization'))),
    result: resultOf(ctx.context.returned),
    sessionUserId: ctx.context.session?.user?.id ?? null,
    newSessionUserId: ctx.context.newSession?.user?.id ?? null,
    findUserId: async (by, value) => {
      if (by === 'email') return (await ctx.context.internalAdapter.findUserByEmail(value))?.user.id ?? null;
      const user = await ctx.context.adapter.findOne<{ id: string }>({ model: 'user', where: [{ field: 'username', value }] });
      return user?.id ?? null;
    },
  };
}

function safely<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/**
 * Records sign-ins, WeChat bind/unbind and admin actions in the audit trail.
 * An after hook runs once per dispatched call, whether from HTTP or
 * `auth.api`; endpoints calling each other as plain functions skip hooks, so
 * one action is one event. A failure here is logged and never changes the response.
 */
export const auditTrail = (audit: AuditRecorder, logger: Logger) =>
  ({
    id: 'audit-trail',
    hooks: {
      after: [
        {
          matcher: (context) => AUDITED_AUTH_PATHS.has(context.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            try {
              const event = await describeAuthCall(auditedCallOf(ctx as HookContext));
              if (event) audit.record(event);
            } catch (error) {
              logger.error({ err: { message: (error as Error).message }, path: ctx.path }, '[API] audit: could not describe an auth call');
            }
          }),
        },
      ],
    },
  }) satisfies BetterAuthPlugin;
