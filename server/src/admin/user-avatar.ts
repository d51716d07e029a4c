import type { AdminUserDetail } from '@wechat-login/shared';
import { AppError } from '../errors.js';
import type { AvatarStore } from '../profile/avatar-store.js';
import type { CheckedAvatar } from '../profile/avatar-upload.js';
import { avatarUrl } from '../profile/profile-service.js';
import { findUser, getAdminUserDetail, type AdminUsersDeps } from './users-service.js';

export interface AdminAvatarDeps extends AdminUsersDeps {
  /** The same GridFS store as the user's own upload, so the same public URL serves either. */
  avatars: AvatarStore;
  /** BETTER_AUTH_URL: `image` is absolute, as the user's own upload stores it. */
  publicBaseUrl: string;
}

const userGone = () => new AppError(404, 'USER_NOT_FOUND', 'No user has this id.');

/**
 * An admin gives a user a new picture (one that breaks the rules, say): stored like the user's own
 * upload, then the older files of the user are deleted. The profile's completion is left as it was:
 * the user did not choose this picture, so their welcome page still asks them.
 */
export async function replaceAvatarAsAdmin(deps: AdminAvatarDeps, userId: string, upload: CheckedAvatar): Promise<AdminUserDetail> {
  const user = await findUser(deps, userId);
  const avatarId = await deps.avatars.save(user.id, upload.bytes, upload.contentType);
  const updated = await deps.auth.internalAdapter.updateUser(user.id, { image: avatarUrl(deps, avatarId) });
  // Deleted meanwhile: its files go with it (the upload just stored included).
  if (!updated) {
    await deps.avatars.deleteAllOfUser(user.id);
    throw userGone();
  }
  await deps.avatars.deleteAllOfUser(user.id, { except: avatarId });
  return getAdminUserDetail(deps, user.id);
}

/** Clears the user's picture: an uploaded one is deleted from the store, an outside URL (WeChat's) is only forgotten. */
export async function removeAvatarAsAdmin(deps: AdminAvatarDeps, userId: string): Promise<AdminUserDetail> {
  const user = await findUser(deps, userId);
  const updated = await deps.auth.internalAdapter.updateUser(user.id, { image: null });
  if (!updated) throw userGone();
  await deps.avatars.deleteAllOfUser(user.id);
  return getAdminUserDetail(deps, user.id);
}
