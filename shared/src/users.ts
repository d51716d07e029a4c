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
  /** When the user chose a display name or avatar; null when they never did (WeChat sign-ups start so). */
  profileCompletedAt: dateLike.nullable(),
  createdAt: dateLike,
  updatedAt: dateLike,
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const DEFAULT_WECHAT_EMAIL_DOMAIN = 'wechat.placeholder';

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

/** `GET /api/v1/admin/users` query: search, filters, sorting, pagination. */
export const AdminUsersQuerySchema = z.object({
  search: z.string().trim().max(100).optional(),
  role: UserRoleSchema.optional(),
  banned: booleanQuery.optional(),
  hasWechat: booleanQuery.optional(),
  profileCompleted: booleanQuery.optional(),
  sortBy: z.enum(['createdAt', 'name', 'email', 'username']).default('createdAt'),
  sortDirection: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type AdminUsersQuery = z.infer<typeof AdminUsersQuerySchema>;
/** The query as the UI writes it (strings before coercion). */
export type AdminUsersQueryInput = z.input<typeof AdminUsersQuerySchema>;

export const LinkedAccountSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  accountId: z.string(),
  createdAt: dateLike,
  wechatOpenid: z.string().nullable(),
  wechatUnionid: z.string().nullable(),
});
export type LinkedAccount = z.infer<typeof LinkedAccountSchema>;

/** `GET /api/v1/admin/users/:id` */
export const AdminUserDetailSchema = AdminUserSchema.extend({ accounts: z.array(LinkedAccountSchema) });
export type AdminUserDetail = z.infer<typeof AdminUserDetailSchema>;
