/** A few password users, so the admin table looks like a real one. Created through better-auth's own sign-up. */
const SEED_USERS = [
  { name: 'Ada Lovelace', email: 'ada@example.com', username: 'ada' },
  { name: 'Grace Hopper', email: 'grace@example.com', username: 'grace' },
  { name: '林伟', email: 'lin.wei@example.cn', username: 'linwei' },
] as const;

export async function seedPasswordUsers(baseUrl: string): Promise<void> {
  for (const user of SEED_USERS) {
    const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ ...user, password: 'seed-user-password' }),
    });
    if (!response.ok) throw new Error(`sign-up of ${user.email} failed: HTTP ${response.status} ${await response.text()}`);
  }
}
