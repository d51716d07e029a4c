import type { Document } from 'mongodb';
import type { Runtime } from '../../src/runtime.js';
import { AUDIT_COLLECTION } from '../../src/audit/types.js';
import type { Browser } from '../support/http.js';

/** The stored audit events matching `filter`, after writing what is still buffered. */
export async function auditEvents(runtime: Runtime, filter: Document = {}): Promise<Document[]> {
  await runtime.audit.flush();
  return runtime.database.db.collection(AUDIT_COLLECTION).find(filter).sort({ at: 1, _id: 1 }).toArray();
}

let agentCounter = 0;
/** A user agent no other request sends, so a test finds exactly the events its own request caused. */
export function uniqueUserAgent(label: string): string {
  agentCounter += 1;
  return `AuditTest/${agentCounter} (${label}; ${Date.now().toString(36)})`;
}

/** A POST with a user agent of its own. */
export function postAs(client: Browser, userAgent: string, path: string, body?: object) {
  const req = client.post(path).set('User-Agent', userAgent);
  return body === undefined ? req : req.send(body);
}

export async function userIdOf(client: Browser): Promise<string> {
  const res = await client.get('/api/auth/get-session');
  return res.body.user.id as string;
}
