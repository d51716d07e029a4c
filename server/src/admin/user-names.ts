import type { User } from 'better-auth';
import type { AuditEvent } from '@wechat-login/shared';
import type { IdentityContext } from '../plugins/wechat/identity.js';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

type NamedUser = User & { username?: string | null; displayUsername?: string | null };

/**
 * The Activity page shows who each event concerns and which admin acted, by name: one read of those
 * users through better-auth's adapter (FerretDB has no $lookup). A user deleted since keeps only an id.
 */
export async function withUserNames(context: Pick<IdentityContext, 'adapter'>, events: AuditEvent[]): Promise<AuditEvent[]> {
  const ids = [...new Set(events.flatMap((event) => [event.userId, event.actorId]).filter((id): id is string => id !== null && OBJECT_ID.test(id)))];
  if (ids.length === 0) return events;
  const users = await context.adapter.findMany<NamedUser>({ model: 'user', where: [{ field: 'id', operator: 'in', value: ids }], limit: ids.length });
  const names = new Map(users.map((user) => [user.id, user.name || user.displayUsername || user.username || '']));
  return events.map((event) => ({
    ...event,
    userName: (event.userId && names.get(event.userId)) || null,
    actorName: (event.actorId && names.get(event.actorId)) || null,
  }));
}
