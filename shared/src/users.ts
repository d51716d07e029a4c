import { z } from 'zod';

/** The ways a user can sign in; shown as tags in the admin users table. */
export const SignInMethodSchema = z.enum(['wechat', 'username', 'email']);
export type SignInMethod = z.infer<typeof SignInMethodSchema>;

export const UserRoleSchema = z.enum(['user', 'admin']);
export type UserRole = z.infer<typeof UserRoleSchema>;

const dateLike = z.union([z.string(), z.date()]).transform((value) => new Date(value));

/**
 * How the latest successful sign-in happened: `wechat` is the QR code (desktop), `wechat-oauth` the
 * one tap inside WeChat (web authorization), `username`/`email` a password.
 */
export const LastSignInMethodSchema = z.enum(['wechat', 'wechat-oauth', 'username', 'email']);
export type LastSignInMethod = z.infer<typeof LastSignInMethodSchema>;

/** The latest successful sign-in, kept on the user by every sign-in path; null for a user who never signed in. */
export const LastSignInSchema = z.object({
  at: dateLike,
  method: LastSignInMethodSchema,
  /** The client IP as the server saw it (behind TRUST_PROXY), or null when unknown. */
  ip: z.string().nullable(),
});
export type LastSignIn = z.infer<typeof LastSignInSchema>;

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
  lastSignIn: LastSignInSchema.nullable(),
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
  /**
   * Dormant accounts: users whose latest sign-in is before this instant, and users who never signed
   * in (ISO 8601 date or date-time).
   */
  notSignedInSince: z.iso.datetime({ offset: true }).or(z.iso.date()).transform((value) => new Date(value)).optional(),
  sortBy: z.enum(['createdAt', 'name', 'email', 'username', 'lastSignInAt']).default('createdAt'),
  sortDirection: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type AdminUsersQuery = z.infer<typeof AdminUsersQuerySchema>;
/** The query as the UI writes it (strings before coercion). */
export type AdminUsersQueryInput = z.input<typeof AdminUsersQuerySchema>;

/**
 * `GET /api/v1/admin/users/export.csv`: the same filters and order as the list, every matching row
 * (no paging), streamed as UTF-8 CSV with a BOM. WeChat ids only when the admin asks for them.
 */
export const AdminUsersExportQuerySchema = AdminUsersQuerySchema.omit({ limit: true, offset: true }).extend({
  includeWechatIds: booleanQuery.default(false),
});
export type AdminUsersExportQuery = z.infer<typeof AdminUsersExportQuerySchema>;
export type AdminUsersExportQueryInput = z.input<typeof AdminUsersExportQuerySchema>;

/** Where the admin API serves the export and a user's avatar (`PUT` with the image as the body, `DELETE`). */
export const ADMIN_USER_ROUTES = {
  exportCsv: '/users/export.csv',
  avatar: (userId: string) => `/users/${encodeURIComponent(userId)}/avatar`,
} as const;

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
