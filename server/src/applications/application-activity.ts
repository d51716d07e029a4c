import type { Db } from 'mongodb';
import type { ApplicationActivity, AuditEvent, AuditEventType } from '@wechat-login/shared';
import type { AuditDocument } from '../audit/document.js';
import { toAuditEvent } from '../audit/queries.js';
import { AUDIT_COLLECTION } from '../audit/types.js';
import { withUserNames } from '../admin/user-names.js';
import type { IdentityContext } from '../plugins/wechat/identity.js';

/** A person let the app in (consent), or the app redeemed a code or refresh token. */
const AUTHORIZATION_TYPES: AuditEventType[] = ['oidc.consent-given', 'oidc.token-issued'];
/** The token endpoint refused the app: wrong secret, reused code, wrong PKCE verifier, revoked refresh token... */
const FAILURE_TYPES: AuditEventType[] = ['oidc.token-refused'];

export interface ApplicationActivityDeps {
  db: Db;
  /** Events this process queued a moment ago are written before they are read. */
  audit: { flush(): Promise<void> };
  context: Pick<IdentityContext, 'adapter'>;
}

async function latest(db: Db, clientId: string, types: AuditEventType[], limit: number): Promise<AuditEvent[]> {
  // The OIDC events carry the client id they concern in details.clientId (server/src/auth/oidc/audit-events.ts).
  const docs = await db
    .collection<AuditDocument>(AUDIT_COLLECTION)
    .find({ type: { $in: types }, 'details.clientId': clientId })
    .sort({ at: -1, _id: -1 })
    .limit(limit)
    .toArray();
  return docs.map(toAuditEvent);
}

/** One application's recent authorizations and token failures, newest first, with the people's names. */
export async function applicationActivity(deps: ApplicationActivityDeps, clientId: string, limit: number): Promise<ApplicationActivity> {
  await deps.audit.flush();
  const [authorizations, failures] = await Promise.all([latest(deps.db, clientId, AUTHORIZATION_TYPES, limit), latest(deps.db, clientId, FAILURE_TYPES, limit)]);
  return { authorizations: await withUserNames(deps.context, authorizations), failures: await withUserNames(deps.context, failures) };
}
