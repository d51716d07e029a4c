import { z } from 'zod';

/** The image types an avatar may have; the server checks the file's magic bytes, not only its label. */
export const AVATAR_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type AvatarContentType = (typeof AVATAR_CONTENT_TYPES)[number];

export const DEFAULT_AVATAR_MAX_BYTES = 1024 * 1024;

export const PROFILE_NAME_MAX_LENGTH = 40;

/**
 * C0/C1 controls, line and paragraph separators, and the bidi overrides and isolates that can make
 * a name display as something else (`\u202E` turns "resu" into "user").
 */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

/** A display name chosen by the user: trimmed, 1–40 characters (code points, so 40 Chinese characters fit), no controls. */
export const ProfileNameSchema = z
  .string()
  .trim()
  .min(1, 'expected a name')
  .refine((name) => [...name].length <= PROFILE_NAME_MAX_LENGTH, `expected at most ${PROFILE_NAME_MAX_LENGTH} characters`)
  .refine((name) => !INVISIBLE_OR_CONTROL.test(name), 'expected no control characters');

/** `POST /api/v1/me/profile`: completes the profile; without a name, the avatar alone completes it. */
export const CompleteProfileBodySchema = z.object({ name: ProfileNameSchema.optional() });
export type CompleteProfileBody = z.infer<typeof CompleteProfileBodySchema>;

const dateLike = z.union([z.string(), z.date()]).transform((value) => new Date(value));

/** `GET /api/v1/me/profile` and the answer of every `/me` profile change. */
export const OwnProfileSchema = z.object({
  name: z.string(),
  /** The absolute URL the avatar is served from, or null. */
  image: z.string().nullable(),
  /** When the user chose a name or an avatar; null for WeChat users who never did. */
  profileCompletedAt: dateLike.nullable(),
  avatarRules: z.object({
    maxBytes: z.number().int().positive(),
    contentTypes: z.array(z.enum(AVATAR_CONTENT_TYPES)),
  }),
});
export type OwnProfile = z.infer<typeof OwnProfileSchema>;
