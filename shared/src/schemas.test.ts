import { describe, expect, it } from 'vitest';
import { AdminUserSchema, ErrorBodySchema, PaginationQuerySchema, ScanResultSchema, SceneIdSchema } from './index.js';

describe('shared DTO schemas', () => {
  it('accepts the error body our routes send and refuses lower-case codes', () => {
    expect(ErrorBodySchema.safeParse({ success: false, error: { code: 'NOT_FOUND', message: 'x' } }).success).toBe(true);
    expect(ErrorBodySchema.safeParse({ success: false, error: { code: 'not_found', message: 'x' } }).success).toBe(false);
  });

  it('coerces and bounds pagination', () => {
    expect(PaginationQuerySchema.parse({ limit: '5', offset: '10' })).toEqual({ limit: 5, offset: 10 });
    expect(PaginationQuerySchema.parse({})).toEqual({ limit: 20, offset: 0 });
    expect(PaginationQuerySchema.safeParse({ limit: '1000' }).success).toBe(false);
    expect(PaginationQuerySchema.safeParse({ offset: '-1' }).success).toBe(false);
  });

  it('tells the states of a scan apart, and shows the identity only once confirmed', () => {
    expect(ScanResultSchema.parse({ status: 'pending', scanned: false })).toEqual({ status: 'pending', scanned: false });
    expect(ScanResultSchema.parse({ status: 'scanned', scanned: true })).toEqual({ status: 'scanned', scanned: true });
    const done = ScanResultSchema.parse({ status: 'confirmed', scanned: true, openid: 'o1', unionid: null, nickname: null, avatar: null });
    expect(done.status === 'confirmed' && done.openid).toBe('o1');
    expect(ScanResultSchema.safeParse({ status: 'confirmed', scanned: true }).success).toBe(false);
    expect(ScanResultSchema.safeParse({ status: 'pending', scanned: true }).success).toBe(false);
  });

  it('refuses operator-shaped and oversized scene ids', () => {
    expect(SceneIdSchema.safeParse('abcdefghijklmnopqrstuvwx').success).toBe(true);
    expect(SceneIdSchema.safeParse('abcdefghijklmnopqrstuvw').success).toBe(false);
    expect(SceneIdSchema.safeParse({ $ne: null }).success).toBe(false);
    expect(SceneIdSchema.safeParse('a'.repeat(65)).success).toBe(false);
    expect(SceneIdSchema.safeParse('abc/../../etc/passwd___').success).toBe(false);
  });

  it('parses dates of an admin user from JSON strings', () => {
    const user = AdminUserSchema.parse({
      id: '1', name: 'n', email: 'e@x.y', emailIsPlaceholder: false, emailVerified: false, username: null,
      displayUsername: null, image: null, role: 'user', banned: false, banReason: null, banExpires: null,
      signInMethods: ['email'], profileCompletedAt: null, lastSignIn: { at: '2026-01-02T03:04:05.000Z', method: 'wechat-oauth', ip: null },
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(user.lastSignIn?.at).toEqual(new Date('2026-01-02T03:04:05.000Z'));
    expect(AdminUserSchema.safeParse({ ...user, lastSignIn: { at: user.createdAt, method: 'carrier-pigeon', ip: null } }).success).toBe(false);
  });
});
