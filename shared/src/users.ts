import { z } from 'zod';

/** The ways a user can sign in; shown as tags in the admin users table. */
export const SignInMethodSchema = z.enum(['wechat', 'username', 'email']);
export type SignInMethod = z.infer<typeof SignInMethodSchema>;

export const UserRoleSchema = z.enum(['user', 'admin']);
export type UserRole = z.infer<typeof UserRoleSchema>;

const dateLike = z.union([z.string(), z.date()]).transform((value) => new Date(value));

/** A user as the admin list and detail pages show it. */
export const AdminUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  /** True when the email is the `{openid}@{domain}` label given to WeChat-created users. */
  emailIsPlaceholder: z.boolean(),
  emailVerified: z.boolean(),
  username: z.string().nullable(),
  displayUsername: z.string().nullable(),
  image: z.string().nullable(),
  role: z.string(),
  banned: z.boolean(),
  banReason: z.string().nullable(),
  banExpires: dateLike.nullable(),
  signInMethods: z.array(SignInMethodSchema),
  createdAt: dateLike,
  updatedAt: dateLike,
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const DEFAULT_WECHAT_EMAIL_DOMAIN = 'wechat.placeholder';
