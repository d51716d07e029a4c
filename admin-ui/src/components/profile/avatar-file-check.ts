import type { OwnProfile } from '@wechat-login/shared';

export type AvatarRules = OwnProfile['avatarRules'];

/** Why a chosen file cannot be an avatar, as a message key under `profile.avatar`; null when it may be sent. */
export type AvatarFileProblem = 'wrongType' | 'tooLarge' | null;

/**
 * A first check in the browser, so nobody waits for an upload that will be refused. The server checks
 * again, by the file's bytes: a renamed file passes here and is refused there.
 */
export function checkAvatarFile(file: Pick<File, 'type' | 'size'>, rules: AvatarRules): AvatarFileProblem {
  if (!(rules.contentTypes as readonly string[]).includes(file.type)) return 'wrongType';
  if (file.size > rules.maxBytes) return 'tooLarge';
  if (file.size === 0) return 'wrongType';
  return null;
}

/** 1048576 → "1 MB", 524288 → "512 KB": for the hint and the "too large" message. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
