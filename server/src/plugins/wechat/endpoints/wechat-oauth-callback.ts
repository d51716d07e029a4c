import { z } from 'zod';
import { APIError, createAuthEndpoint, getSessionFromCtx } from 'better-auth/api';
import type { GenericEndpointContext } from '@better-auth/core';
import type { User } from 'better-auth';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { isAppError } from '../../../errors.js';
import { toApiError } from '../api-error.js';
import { wechatError } from '../error-codes.js';
import { WechatIdentities, type WechatIdentity } from '../identity.js';
import type { OAuthRedirectPaths, OAuthStartPurpose, WebAuthorizationEvent, WechatPluginOptions } from '../options.js';
import { siteUrl } from './oauth-redirects.js';
import { startWebAuthorization } from './sign-in-wechat-oauth.js';
import { signInWebAuthorized } from './oauth-sign-in.js';

/** WeChat's codes are 32 characters of [0-9a-zA-Z]; anything else is not worth sending to WeChat. */
const WECHAT_CODE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

type Grant = Awaited<ReturnType<NonNullable<WechatPluginOptions['webAuthorization']>['flow']['client']['exchangeCode']>>;

/**
 * `GET /wechat-oauth/callback?code&state`: where WeChat's authorization page sends the browser back.
 * The state must be this browser's, unused and fresh; the code is exchanged once for the openid.
 * Then the sign-in or the bind finishes and the browser goes to the page it asked for, or to its
 * error page with `?error=CODE`: a person arrives here by a redirect, so every outcome is a redirect.
 */
export const wechatOAuthCallback = (options: WechatPluginOptions) =>
  createAuthEndpoint(
    WECHAT_AUTH_ENDPOINTS.wechatOAuthCallback,
    {
      method: 'GET',
      // Read by hand: a repeated or odd parameter must become a redirect with a code, not a JSON 400.
      query: z.looseObject({}),
      metadata: {
        openapi: {
          operationId: 'wechatOAuthCallback',
          summary: 'Return from WeChat web authorization',
          description: 'Redirects to callbackURL (newUserCallbackURL for a new user) once signed in or bound, else to errorCallbackURL?error=CODE.',
          responses: { 302: { description: 'To the page the sign-in or bind was started for' } },
        },
      },
    },
    async (ctx) => {
      const web = options.webAuthorization;
      if (!web) throw toApiError(wechatError('WECHAT_NOT_CONFIGURED'));
      const query = ctx.query as Record<string, unknown>;
      const consumed = await web.flow.states.consume(query.state, ctx.getCookie(options.bindingCookieName) ?? undefined);
      if (!consumed.ok) throw ctx.redirect(refuse(ctx, options, consumed.code, 'login', consumed.state?.redirects ?? null, null));
      const { purpose, redirects } = consumed.state;
      if (purpose.kind === 'confirm') throw ctx.redirect(refuse(ctx, options, 'WECHAT_OAUTH_STATE_INVALID', 'login', null, null));
      let url: string;
      try {
        const grant = await exchange(options, query.code);
        url = purpose.kind === 'login' ? await finishSignIn(ctx, options, purpose, redirects, grant) : await finishBind(ctx, options, purpose, redirects, grant);
      } catch (error) {
        throw ctx.redirect(refuse(ctx, options, codeOf(ctx, error), purpose.kind, redirects, purpose.kind === 'bind' ? purpose.userId : null));
      }
      throw ctx.redirect(url);
    },
  );

/** No code means the person said no on the consent screen: that is how WeChat answers a refusal. */
async function exchange(options: WechatPluginOptions, code: unknown): Promise<Grant> {
  if (code === undefined || code === '') throw wechatError('WECHAT_OAUTH_CONSENT_REFUSED');
  if (typeof code !== 'string' || !WECHAT_CODE_PATTERN.test(code)) throw wechatError('WECHAT_OAUTH_CODE_INVALID');
  return options.webAuthorization!.flow.client.exchangeCode(code);
}

async function finishSignIn(ctx: GenericEndpointContext, options: WechatPluginOptions, purpose: Extract<OAuthStartPurpose, { kind: 'login' }>, redirects: OAuthRedirectPaths, grant: Grant): Promise<string> {
  const identity: WechatIdentity = { openid: grant.openid, unionid: grant.unionid };
  if (purpose.strategy === 'auto' && grant.scope === 'snsapi_base' && !purpose.askedForProfile && (await needsProfile(ctx, identity))) {
    // Once, for a new user or one who never finished their profile: the consent screen, then back here.
    return startWebAuthorization(ctx, options, { ...purpose, askedForProfile: true }, redirects);
  }
  const signedIn = await signInWebAuthorized(ctx, options, identity, grant);
  options.onWebAuthorization?.({ purpose: 'login', outcome: 'success', userId: signedIn.user.id, openid: identity.openid, isNewUser: signedIn.isNewUser, profileFilled: signedIn.profileFilled, ctx });
  return siteUrl(ctx, signedIn.isNewUser ? redirects.newUserCallbackURL : redirects.callbackURL);
}

/** A user we do not know yet, or one who never chose a name or avatar and never shared their WeChat profile. */
async function needsProfile(ctx: GenericEndpointContext, identity: WechatIdentity): Promise<boolean> {
  const account = await new WechatIdentities(ctx.context).findAccount(identity);
  if (!account) return true;
  const user = (await ctx.context.internalAdapter.findUserById(account.userId)) as (User & { profileCompletedAt?: Date | null }) | null;
  return !user || (!user.profileCompletedAt && !account.wechatProfileAt);
}

/** The same rules as a QR bind, for the user who started it, who must still be the one signed in. */
async function finishBind(ctx: GenericEndpointContext, options: WechatPluginOptions, purpose: Extract<OAuthStartPurpose, { kind: 'bind' }>, redirects: OAuthRedirectPaths, grant: Grant): Promise<string> {
  const session = await getSessionFromCtx(ctx);
  if (session?.user.id !== purpose.userId) throw wechatError('WECHAT_OAUTH_SESSION_CHANGED');
  await new WechatIdentities(ctx.context).bind(purpose.userId, { openid: grant.openid, unionid: grant.unionid });
  options.onWebAuthorization?.({ purpose: 'bind', outcome: 'success', userId: purpose.userId, openid: grant.openid, ctx });
  return siteUrl(ctx, redirects.callbackURL);
}

/** The refusal, told to the audit trail, and the page the browser goes to with its code. */
function refuse(ctx: GenericEndpointContext, options: WechatPluginOptions, code: string, purpose: WebAuthorizationEvent['purpose'], redirects: OAuthRedirectPaths | null, userId: string | null): string {
  ctx.context.logger.info(`[API] WeChat web authorization refused: ${code}`);
  options.onWebAuthorization?.({ purpose, outcome: 'failure', code, userId, ctx });
  return siteUrl(ctx, redirects?.errorCallbackURL ?? '/sign-in', code);
}

function codeOf(ctx: GenericEndpointContext, error: unknown): string {
  if (isAppError(error)) return error.code;
  if (error instanceof APIError) {
    const code = (error.body as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && code !== '') return code;
  }
  ctx.context.logger.error('[API] WeChat web authorization failed', error);
  return 'WECHAT_OAUTH_FAILED';
}
