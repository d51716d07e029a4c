import type { OwnProfile, CompleteProfileBody } from '@wechat-login/shared';
import { AVATAR_CONTENT_TYPES } from '@wechat-login/shared';
import type { Auth } from '../auth/create-auth.js';
import { AppError } from '../errors.js';
import type { AvatarStore } from './avatar-store.js';
import type { CheckedAvatar } from './avatar-upload.js';

export const AVATARS_PATH = '/api/v1/pub/avatars';

export interface ProfileDeps {
  auth: Auth;
  avatars: AvatarStore;
  avatarMaxBytes: number;
  /** The server's public URL (BETTER_AUTH_URL): `image` is absolute so apps using this login can show it too. */
  publicBaseUrl: string;
}

interface ProfileUser {
  id: string;
  name: string;
  image?: string | null | undefined;
  profileCompletedAt?: Date | string | null | undefined;
}

export function avatarUrl(deps: Pick<ProfileDeps, 'publicBaseUrl'>, avatarId: string): string {
  return `${deps.publicBaseUrl}${AVATARS_PATH}/${avatarId}`;
}

export function toOwnProfile(deps: Pick<ProfileDeps, 'avatarMaxBytes'>, user: ProfileUser): OwnProfile {
  return {
    name: user.name,
    image: user.image ?? null,
    profileCompletedAt: user.profileCompletedAt ? new Date(user.profileCompletedAt) : null,
    avatarRules: { maxBytes: deps.avatarMaxBytes, contentTypes: [...AVATAR_CONTENT_TYPES] },
  };
}

async function updateUser(deps: ProfileDeps, userId: string, data: Record<string, unknown>): Promise<ProfileUser> {
  const { internalAdapter } = await deps.auth.$context;
  const updated = (await internalAdapter.updateUser(userId, data)) as ProfileUser | null;
  if (!updated) throw new AppError(404, 'USER_NOT_FOUND', 'Your account no longer exists. Sign in again.');
  return updated;
}

/**
 * Stores the new avatar, points the user's `image` at it, then deletes their older ones. Choosing
 * an avatar completes the profile too: the user picked something of their own.
 */
export async function replaceAvatar(deps: ProfileDeps, userId: string, upload: CheckedAvatar): Promise<OwnProfile> {
  const avatarId = await deps.avatars.save(userId, upload.bytes, upload.contentType);
  const user = await updateUser(deps, userId, { image: avatarUrl(deps, avatarId), profileCompletedAt: new Date() });
  await deps.avatars.deleteAllOfUser(userId, { except: avatarId });
  return toOwnProfile(deps, user);
}

/** "Save" on the welcome page: the chosen name, if any, and the completion time. A name or an avatar is needed. */
export async function completeProfile(deps: ProfileDeps, current: ProfileUser, body: CompleteProfileBody): Promise<OwnProfile> {
  if (body.name === undefined && !current.image) {
    throw new AppError(400, 'INVALID_PROFILE', 'Choose a display name or upload an avatar first.');
  }
  const user = await updateUser(deps, current.id, { ...(body.name === undefined ? {} : { name: body.name }), profileCompletedAt: new Date() });
  return toOwnProfile(deps, user);
}
