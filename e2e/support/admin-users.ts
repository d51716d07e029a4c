import type { Page } from 'playwright-core';
import type { LastSignInMethod } from '@wechat-login/shared';

/** People for the admin users page, signed up and signed in for real through better-auth's own routes. */

export interface PasswordPerson {
  name: string;
  email: string;
  username: string;
  password: string;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${new URL(url).pathname} failed: HTTP ${response.status} ${await response.text()}`);
}

/** Sign-up by email signs the person in (a session, hence a last sign-in by email). */
export function signUpByEmail(baseUrl: string, person: PasswordPerson): Promise<void> {
  const { name, email, username, password } = person;
  return postJson(`${baseUrl}/api/auth/sign-up/email`, { name, email, username, password }, { origin: baseUrl });
}

/** A cookie-less sign-in needs no Origin: as a script or another device would. */
export function signInByUsername(baseUrl: string, person: PasswordPerson): Promise<void> {
  return postJson(`${baseUrl}/api/auth/sign-in/username`, { username: person.username, password: person.password });
}

/** An account the admin creates: no session, so it has never signed in. Sent from the admin's signed-in page. */
export async function createUserAsAdmin(adminPage: Page, baseUrl: string, person: Pick<PasswordPerson, 'name' | 'email' | 'password'>): Promise<void> {
  const response = await adminPage.request.post('/api/auth/admin/create-user', { data: person, headers: { origin: baseUrl } });
  if (!response.ok()) throw new Error(`create-user failed: HTTP ${response.status()} ${await response.text()}`);
}

/** A row of the admin users list as JSON carries it (dates as ISO strings). */
export interface AdminUserRow {
  id: string;
  name: string;
  email: string;
  image: string | null;
  lastSignIn: { at: string; method: LastSignInMethod; ip: string | null } | null;
}

/** The users table's rows as the admin API answers them. */
export async function adminUserRows(adminPage: Page): Promise<AdminUserRow[]> {
  const response = await adminPage.request.get('/api/v1/admin/users?limit=100');
  const body = (await response.json()) as { success: boolean; data?: { items: AdminUserRow[] } };
  if (!body.success || !body.data) throw new Error(`the users list failed: ${JSON.stringify(body)}`);
  return body.data.items;
}

const POLL_INTERVAL_MS = 100;
const POLL_LIMIT_MS = 15_000;

/** The server records a sign-in just after answering it: waits (bounded) until `count` users have one. */
export async function waitForRecordedSignIns(adminPage: Page, count: number): Promise<void> {
  const deadline = Date.now() + POLL_LIMIT_MS;
  for (;;) {
    const recorded = (await adminUserRows(adminPage)).filter((row) => row.lastSignIn).length;
    if (recorded >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${recorded} of ${count} sign-ins were recorded within ${POLL_LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
