import type { GenericEndpointContext } from '@better-auth/core';
import type { User } from 'better-auth';
import { PROFILE_NAME_MAX_LENGTH, ProfileNameSchema } from '@wechat-login/shared';
import { translatingErrors } from '../api-error.js';
import { DEFAULT_PLACEHOLDER_EMAIL_DOMAIN, defaultWechatUserName, placeholderEmail, WechatIdentities, type WechatIdentity } from '../identity.js';
import type { WechatPluginOptions } from '../options.js';
import { startWechatSession } from './sign-in-wechat.js';

type WebAuthorization = NonNullable<WechatPluginOptions['webAuthorization']>;
type Grant = Awaited<ReturnType<WebAuthorization['flow']['client']['exchangeCode']>>;
type Profile = Awaited<ReturnType<WebAuthorization['flow']['client']['fetchProfile']>>;
type ProfileUser = User & { profileCompletedAt?: Date | null };

/**
 * Signs in the person a code exchange named: the same WeChat identity as a QR scan (the openid of
 * one AppID is the same in both flows; the unionid when WeChat gives one), so one person is one
 * user whichever way they come. With consent (snsapi_userinfo), a new user, or one who never chose
 * their own, gets the WeChat nickname and a copy of the avatar; /welcome then shows them to keep.
 */
export async function signInWebAuthorized(ctx: GenericEndpointContext, options: WechatPluginOptions, identity: WechatIdentity, grant: Grant): Promise<{ user: User; isNewUser: boolean; profileFilled: boolean }> {
  const web = options.webAuthorization!;
  const profile = grant.scope === 'snsapi_userinfo' ? await readProfile(ctx, web, grant) : null;
  const person: WechatIdentity = { openid: identity.openid, unionid: identity.unionid ?? profile?.unionid ?? null };
  const identities = new WechatIdentities(ctx.context);
  const domain = options.emailDomainName ?? DEFAULT_PLACEHOLDER_EMAIL_DOMAIN;
  const nickname = profile ? acceptedNickname(profile.nickname) : null;
  const { user, isNewUser } = await translatingErrors(() =>
    identities.findOrCreateUser(person, { email: (attempt) => placeholderEmail(person.openid, domain, attempt), name: nickname ?? defaultWechatUserName(person.openid) }),
  );
  if (isNewUser) await options.onUserCreated?.({ user, openid: person.openid, unionid: person.unionid, ctx });
  // The session first: better-auth refuses a banned user here, before anything of theirs changes.
  await startWechatSession(ctx, user, isNewUser, options);
  const profileFilled = profile ? await fillProfile(ctx, web, user as ProfileUser, { isNewUser, nickname, profile, person }) : false;
  return { user, isNewUser, profileFilled };
}

/** The profile is a courtesy: when WeChat cannot give it, the person still signs in. */
async function readProfile(ctx: GenericEndpointContext, web: WebAuthorization, grant: Grant): Promise<Profile | null> {
  try {
    return await web.flow.client.fetchProfile(grant);
  } catch (error) {
    ctx.context.logger.warn(`[API] WeChat user info unavailable, signing in without the profile: ${(error as Error).message}`);
    return null;
  }
}

/** Never over what the user chose: only a default name is replaced, only a missing avatar added. */
async function fillProfile(
  ctx: GenericEndpointContext,
  web: WebAuthorization,
  user: ProfileUser,
  input: { isNewUser: boolean; nickname: string | null; profile: Profile; person: WechatIdentity },
): Promise<boolean> {
  if (!input.isNewUser && user.profileCompletedAt) return false;
  let filled = input.isNewUser && input.nickname !== null;
  if (!input.isNewUser && input.nickname && user.name === defaultWechatUserName(input.person.openid)) {
    await ctx.context.internalAdapter.updateUser(user.id, { name: input.nickname });
    filled = true;
  }
  const avatar = input.profile.headimgurl && !user.image ? await web.copyAvatar(user.id, input.profile.headimgurl) : null;
  if (avatar) {
    await ctx.context.internalAdapter.updateUser(user.id, { image: avatar });
    filled = true;
  }
  await new WechatIdentities(ctx.context).rememberProfileShared(input.person);
  return filled;
}

/** A nickname that passes the profile's name rule (cut to its length), or null for the default name. */
export function acceptedNickname(nickname: string): string | null {
  const cut = [...nickname.trim()].slice(0, PROFILE_NAME_MAX_LENGTH).join('');
  const parsed = ProfileNameSchema.safeParse(cut);
  return parsed.success ? parsed.data : null;
}
