import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime.js';
import { browser, signUpByEmail } from '../support/http.js';
import { createTestRuntime } from '../support/test-runtime.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await createTestRuntime();
});
afterAll(async () => {
  await runtime?.close();
});

describe('email and username sign-in', () => {
  it('signs up by email, then signs in with the email and with the username', async () => {
    const signedUp = await signUpByEmail(runtime.app, { email: 'Alice@Example.com', password: 'correct-horse-1', name: 'Alice', username: 'Alice_01' });
    const me = await signedUp.get('/api/auth/get-session');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'alice@example.com', username: 'alice_01', name: 'Alice' });

    const byEmail = await browser(runtime.app).post('/api/auth/sign-in/email', { email: 'alice@example.com', password: 'correct-horse-1' });
    expect(byEmail.status).toBe(200);
    expect(byEmail.headers['set-cookie']?.[0]).toMatch(/session_token=.*HttpOnly/);

    const byUsername = await browser(runtime.app).post('/api/auth/sign-in/username', { username: 'ALICE_01', password: 'correct-horse-1' });
    expect(byUsername.status).toBe(200);
    expect(byUsername.body.user.email).toBe('alice@example.com');
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    await signUpByEmail(runtime.app, { email: 'bob@example.com', password: 'bob-password-1', name: 'Bob', username: 'bob' });
    const wrongPassword = await browser(runtime.app).post('/api/auth/sign-in/email', { email: 'bob@example.com', password: 'nope-nope-1' });
    const unknownEmail = await browser(runtime.app).post('/api/auth/sign-in/email', { email: 'nobody@example.com', password: 'nope-nope-1' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body.code).toBe(unknownEmail.body.code);
    expect(wrongPassword.body.message).toBe(unknownEmail.body.message);

    const wrongUsernamePassword = await browser(runtime.app).post('/api/auth/sign-in/username', { username: 'bob', password: 'nope-nope-1' });
    const unknownUsername = await browser(runtime.app).post('/api/auth/sign-in/username', { username: 'nobody', password: 'nope-nope-1' });
    expect(wrongUsernamePassword.status).toBe(401);
    expect(wrongUsernamePassword.body).toEqual(unknownUsername.body);
    expect(wrongUsernamePassword.headers['set-cookie']).toBeUndefined();
  });

  it('keeps usernames unique, also for users without one', async () => {
    await signUpByEmail(runtime.app, { email: 'c1@example.com', password: 'password-123', name: 'C1' });
    await signUpByEmail(runtime.app, { email: 'c2@example.com', password: 'password-123', name: 'C2' });
    await signUpByEmail(runtime.app, { email: 'c3@example.com', password: 'password-123', name: 'C3', username: 'carol' });
    const taken = await browser(runtime.app).post('/api/auth/sign-up/email', { email: 'c4@example.com', password: 'password-123', name: 'C4', username: 'Carol' });
    expect(taken.status).toBe(400);
    expect(taken.body.code).toBe('USERNAME_IS_ALREADY_TAKEN');
  });

  it('refuses a second account with the same email', async () => {
    await signUpByEmail(runtime.app, { email: 'dup@example.com', password: 'password-123', name: 'D' });
    const again = await browser(runtime.app).post('/api/auth/sign-up/email', { email: 'DUP@example.com', password: 'password-123', name: 'D2' });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    expect(await runtime.database.db.collection('user').countDocuments({ email: 'dup@example.com' })).toBe(1);
  });
});
