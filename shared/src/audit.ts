import { z } from 'zod';

/** Everything the audit trail records. Stable strings: stored in MongoDB and translated by the UI. */
export const AUDIT_EVENT_TYPES = [
  'qr.created',
  'scan.received',
  'scan.confirmed',
  'scan.denied',
  'scan.opener-refused',
  'sign-in.succeeded',
  'sign-in.failed',
  'wechat.bound',
  'wechat.unbound',
  'admin.password-set',
  'admin.user-updated',
  'admin.user-banned',
  'admin.user-unbanned',
  'admin.role-set',
  'admin.wechat-unbound',
  'admin.avatar-replaced',
  'admin.avatar-removed',
  'admin.users-exported',
  'admin.application-created',
  'admin.application-updated',
  'admin.application-deleted',
  'admin.application-secret-rotated',
  'webhook.signature-failed',
  'webhook.rate-limited',
  'wechat-api.error',
  'wechat-api.token-refreshed',
  'oidc.token-issued',
  'oidc.token-refused',
  'oidc.token-revoked',
  'oidc.consent-given',
  'oidc.consent-denied',
  'oidc.consent-revoked',
] as const;
export const AuditEventTypeSchema = z.enum(AUDIT_EVENT_TYPES);
export type AuditEventType = z.infer<typeof AuditEventTypeSchema>;

export const AuditOutcomeSchema = z.enum(['success', 'failure']);
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

/** Flat values only, so no nested object can smuggle a secret past the sanitizer. */
export const AuditDetailValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type AuditDetailValue = z.infer<typeof AuditDetailValueSchema>;

const dateLike = z.union([z.string(), z.date()]).transform((value) => new Date(value));

/** One event as the API returns it. `userName`/`actorName` are looked up for display and null when the user is gone. */
export const AuditEventSchema = z.object({
  id: z.string(),
  type: AuditEventTypeSchema,
  outcome: AuditOutcomeSchema,
  at: dateLike,
  /** The user the event is about (who signed in, whose account an admin changed). */
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  /** Who did it when that is someone else: the admin, for admin actions. */
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), AuditDetailValueSchema),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const MAX_AUDIT_PAGE_SIZE = 100;

const userIdQuery = z.string().trim().regex(/^[0-9a-fA-F]{24}$/, 'expected a user id (24 hex characters)');
const instantQuery = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time such as 2025-01-31T08:00:00Z' }).transform((value) => new Date(value));

/** `GET /api/v1/admin/audit-events` query: filters and page-based pagination, newest first. */
export const AuditEventsQuerySchema = z
  .object({
    userId: userIdQuery.optional(),
    type: AuditEventTypeSchema.optional(),
    from: instantQuery.optional(),
    to: instantQuery.optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE_SIZE).default(20),
  })
  .refine((query) => !query.from || !query.to || query.from.getTime() <= query.to.getTime(), { message: 'must not be after "to"', path: ['from'] });
export type AuditEventsQuery = z.infer<typeof AuditEventsQuerySchema>;
/** The query as the UI writes it (strings before coercion). */
export type AuditEventsQueryInput = z.input<typeof AuditEventsQuerySchema>;

export const AuditEventPageSchema = z.object({
  items: z.array(AuditEventSchema),
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});
export type AuditEventPage = z.infer<typeof AuditEventPageSchema>;

/** How many of their own sign-ins `GET /api/v1/me/sign-ins` shows a user. */
export const RECENT_SIGN_INS_LIMIT = 20;

/** `GET /api/v1/me/sign-ins`: the caller's own recent sign-in attempts, newest first. */
export const RecentSignInsSchema = z.object({ items: z.array(AuditEventSchema) });
export type RecentSignIns = z.infer<typeof RecentSignInsSchema>;
