import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, type Browser } from '../support/http.js';
import { TEST_BASE_URL } from '../support/test-runtime.js';
import { newWechatUser, requestQrcode, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { countStore, expectScenePending, http, theirs, type HostileCase, type StoreCounts, describeBatches } from './hostile-input-corpus.js';

/**
 * Issue #6, better-auth's endpoints (ours, the wechat plugin, and the password sign-ins): hostile
 * bodies, content types and headers. They answer in better-auth's `{code, message}`; none may
 * create a user or a session, and the target scene may not be consumed.
 */

interface Ctx {
  app: Express;
  sceneId: string;
  /** The browser that holds the target scene's binding cookie. */
  owner: Browser;
}
type Case = HostileCase<Ctx>;

const AUTH = '/api/auth';
const validation = theirs(400, 'VALIDATION_ERROR');
const unsupported = theirs(415, 'UNSUPPORTED_MEDIA_TYPE');
const unauthorized = theirs(401, 'UNAUTHORIZED');
const sceneNotFound = theirs(404, 'SCENE_NOT_FOUND');
const notFoundEmpty = { status: 404, shape: 'auth-empty' } as const;

/** A POST as a script (no cookies, no Origin) would send it. */
const post = (path: string, body: string | object, contentType = 'application/json') => (ctx: Ctx) =>
  Promise.resolve(http(ctx.app).post(`${AUTH}${path}`).set('Content-Type', contentType).send(body));
/** Raw bytes with no Content-Type at all. */
const postUntyped = (path: string, body: string) => (ctx: Ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}${path}`).send(Buffer.from(body)));
const withScene = (path: string, body: (sceneId: string) => object) => (ctx: Ctx) => post(path, body(ctx.sceneId))(ctx);

const signInWechat: Case[] = [
  { name: 'sign-in-wechat {"sceneId":{"$regex":".*"}}', send: post('/sign-in-wechat', { sceneId: { $regex: '.*' } }), expect: validation },
  { name: 'sign-in-wechat {"sceneId":{"$ne":null}}', send: post('/sign-in-wechat', { sceneId: { $ne: null } }), expect: validation },
  { name: 'sign-in-wechat with the scene id in an array', send: withScene('/sign-in-wechat', (sceneId) => ({ sceneId: [sceneId] })), expect: validation },
  { name: 'sign-in-wechat with the scene id plus NUL', send: withScene('/sign-in-wechat', (sceneId) => ({ sceneId: `${sceneId}\u0000` })), expect: validation },
  { name: 'sign-in-wechat with an RTL override before the scene id', send: withScene('/sign-in-wechat', (sceneId) => ({ sceneId: `\u202E${sceneId}` })), expect: validation },
  { name: 'sign-in-wechat with a 10 KB sceneId', send: post('/sign-in-wechat', { sceneId: 's'.repeat(10_240) }), expect: validation },
  { name: 'sign-in-wechat with an empty object', send: post('/sign-in-wechat', {}), expect: validation },
  { name: 'sign-in-wechat with truncated JSON', send: post('/sign-in-wechat', '{"sceneId":"'), expect: theirs(400) },
  { name: 'sign-in-wechat with no Content-Type', send: postUntyped('/sign-in-wechat', '{"sceneId":"aaaaaaaaaaaaaaaaaaaaaaaa"}'), expect: validation },
  { name: 'sign-in-wechat as a form', send: (ctx) => post('/sign-in-wechat', `sceneId=${ctx.sceneId}`, 'application/x-www-form-urlencoded')(ctx), expect: unsupported },
  { name: 'sign-in-wechat as text/plain', send: (ctx) => post('/sign-in-wechat', JSON.stringify({ sceneId: ctx.sceneId }), 'text/plain')(ctx), expect: unsupported },
  { name: 'sign-in-wechat of the scene from another browser', send: withScene('/sign-in-wechat', (sceneId) => ({ sceneId })), expect: sceneNotFound },
  {
    name: 'sign-in-wechat of the scene with a forged binding cookie',
    send: (ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}/sign-in-wechat`).set('Origin', TEST_BASE_URL).set('Cookie', `wml_qr_binding=${'F'.repeat(43)}`).send({ sceneId: ctx.sceneId })),
    expect: sceneNotFound,
  },
  {
    name: 'sign-in-wechat with a cookie from a foreign Origin',
    send: (ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}/sign-in-wechat`).set('Origin', 'https://evil.example.com').set('Cookie', `wml_qr_binding=${'F'.repeat(43)}`).send({ sceneId: ctx.sceneId })),
    expect: theirs(403, 'INVALID_ORIGIN'),
  },
  { name: 'sign-in-wechat by the scene\'s own browser before any scan', send: (ctx) => Promise.resolve(ctx.owner.post(`${AUTH}/sign-in-wechat`, { sceneId: ctx.sceneId })), expect: theirs(409, 'SCENE_NOT_SCANNED') },
  { name: 'GET sign-in-wechat', send: (ctx) => Promise.resolve(http(ctx.app).get(`${AUTH}/sign-in-wechat?sceneId=${ctx.sceneId}`)), expect: notFoundEmpty },
];

const bindWechat: Case[] = [
  { name: 'bind-wechat {"sceneId":{"$regex":".*"}} without a session', send: post('/bind-wechat', { sceneId: { $regex: '.*' } }), expect: validation },
  { name: 'bind-wechat of the scene without a session', send: withScene('/bind-wechat', (sceneId) => ({ sceneId })), expect: unauthorized },
  {
    name: 'bind-wechat with an operator-shaped session cookie',
    send: (ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}/bind-wechat`).set('Origin', TEST_BASE_URL).set('Cookie', 'better-auth.session_token={"$ne":null}').send({ sceneId: ctx.sceneId })),
    expect: unauthorized,
  },
];

/** Web authorization's start endpoints: only same-origin paths and the two scopes go in; nothing is stored for a refusal. */
const webAuthorization: Case[] = [
  { name: 'sign-in-wechat-oauth {"callbackURL":{"$ne":null}}', send: post('/sign-in-wechat-oauth', { callbackURL: { $ne: null } }), expect: theirs(400, 'INVALID_CALLBACK_URL') },
  { name: 'sign-in-wechat-oauth with callbackURL in an array', send: post('/sign-in-wechat-oauth', { callbackURL: ['/account', 'https://evil.example'] }), expect: theirs(400, 'INVALID_CALLBACK_URL') },
  { name: 'sign-in-wechat-oauth with errorCallbackURL a number', send: post('/sign-in-wechat-oauth', { errorCallbackURL: 7 }), expect: theirs(400, 'INVALID_CALLBACK_URL') },
  { name: 'sign-in-wechat-oauth with scope snsapi_userinfo (not one of ours)', send: post('/sign-in-wechat-oauth', { scope: 'snsapi_userinfo' }), expect: validation },
  { name: 'sign-in-wechat-oauth to a protocol-relative URL', send: post('/sign-in-wechat-oauth', { callbackURL: '//evil.example' }), expect: theirs([400, 403]) },
  { name: 'sign-in-wechat-oauth with a tab in the path', send: post('/sign-in-wechat-oauth', { callbackURL: '/\t/evil.example' }), expect: theirs([400, 403]) },
  { name: 'sign-in-wechat-oauth as a form', send: post('/sign-in-wechat-oauth', 'callbackURL=/account', 'application/x-www-form-urlencoded'), expect: unsupported },
  { name: 'bind-wechat-oauth without a session', send: post('/bind-wechat-oauth', {}), expect: unauthorized },
  { name: 'GET sign-in-wechat-oauth', send: (ctx) => Promise.resolve(http(ctx.app).get(`${AUTH}/sign-in-wechat-oauth`)), expect: notFoundEmpty },
];

const EMAIL = 'nobody@example.com';
const passwordSignIn: Case[] = [
  { name: 'sign-in/email {"email":{"$gt":""},"password":{"$gt":""}}', send: post('/sign-in/email', { email: { $gt: '' }, password: { $gt: '' } }), expect: validation },
  { name: 'sign-in/email as a form with email[$gt]=', send: post('/sign-in/email', 'email[$gt]=&password[$gt]=', 'application/x-www-form-urlencoded'), expect: validation },
  { name: 'sign-in/email as text/plain', send: post('/sign-in/email', JSON.stringify({ email: EMAIL, password: 'password123' }), 'text/plain'), expect: unsupported },
  { name: 'sign-in/email with no Content-Type', send: postUntyped('/sign-in/email', JSON.stringify({ email: EMAIL, password: 'password123' })), expect: validation },
  { name: 'sign-in/email with truncated JSON', send: post('/sign-in/email', '{"email":"nobody@exam'), expect: theirs(400, 'BAD_REQUEST') },
  { name: 'sign-in/email with a JSON array', send: post('/sign-in/email', '[1,2]'), expect: validation },
  { name: 'sign-in/email with JSON null', send: post('/sign-in/email', 'null'), expect: validation },
  { name: 'sign-in/email with a 1 MB password', send: post('/sign-in/email', { email: EMAIL, password: 'x'.repeat(1024 * 1024) }), expect: theirs(413, 'PAYLOAD_TOO_LARGE') },
  { name: 'sign-in/email with a 90 KB password', send: post('/sign-in/email', { email: EMAIL, password: 'x'.repeat(90 * 1024) }), expect: theirs(400, 'PASSWORD_TOO_LONG') },
  { name: 'sign-in/email with NUL in the email', send: post('/sign-in/email', { email: 'nobody\u0000@example.com', password: 'password123' }), expect: theirs(400) },
  { name: 'sign-in/email with an RTL override in the email', send: post('/sign-in/email', { email: `\u202E${EMAIL}`, password: 'password123' }), expect: theirs(400, 'INVALID_EMAIL') },
  { name: 'sign-in/email with a lone surrogate in the email', send: post('/sign-in/email', '{"email":"\\ud800@example.com","password":"password123"}'), expect: theirs(400, 'INVALID_EMAIL') },
  { name: 'sign-in/email of an unknown user', send: post('/sign-in/email', { email: EMAIL, password: 'password123' }), expect: theirs(401, 'INVALID_EMAIL_OR_PASSWORD') },
  { name: 'sign-in/username {"username":{"$ne":null},"password":{"$ne":null}}', send: post('/sign-in/username', { username: { $ne: null }, password: { $ne: null } }), expect: validation },
  { name: 'sign-in/username with a lone surrogate', send: post('/sign-in/username', '{"username":"\\ud800","password":"password123"}'), expect: theirs([400, 422]) },
  { name: 'sign-in/username with a 10 KB username', send: post('/sign-in/username', { username: 'u'.repeat(10_240), password: 'password123' }), expect: theirs(422, 'USERNAME_TOO_LONG') },
  { name: 'sign-in/username with emoji', send: post('/sign-in/username', { username: '😀😀😀😀', password: 'password123' }), expect: theirs(422, 'INVALID_USERNAME') },
  { name: 'sign-in/username as multipart/form-data', send: (ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}/sign-in/username`).field('username', 'admin').field('password', 'password123')), expect: unsupported },
  { name: 'sign-in/username as a form', send: post('/sign-in/username', 'username=a&username=b&password=password123', 'application/x-www-form-urlencoded'), expect: unsupported },
];

const signUp: Case[] = [
  { name: 'sign-up/email asking for role admin', send: post('/sign-up/email', { email: 'role@example.com', password: 'password123', name: 'r', role: 'admin' }), expect: theirs(400, 'FIELD_NOT_ALLOWED') },
  { name: 'sign-up/email with an operator-shaped email', send: post('/sign-up/email', { email: { $gt: '' }, password: 'password123', name: 'r' }), expect: validation },
  { name: 'sign-up/email with an operator-shaped name', send: post('/sign-up/email', { email: 'name@example.com', password: 'password123', name: { $gt: '' } }), expect: validation },
  { name: 'sign-up/email with a 10 KB password', send: post('/sign-up/email', { email: 'long@example.com', password: 'p'.repeat(10_240), name: 'r' }), expect: theirs(400, 'PASSWORD_TOO_LONG') },
  { name: 'sign-up/email with NUL in the email', send: post('/sign-up/email', { email: 'nul\u0000@example.com', password: 'password123', name: 'r' }), expect: validation },
  { name: 'sign-up/email with an RTL-override username', send: post('/sign-up/email', { email: 'rtl@example.com', password: 'password123', name: 'r', username: '\u202Eadmin' }), expect: theirs(400, 'INVALID_USERNAME') },
  { name: 'sign-up/email with truncated JSON', send: post('/sign-up/email', '{"email":"trunc@example.com","password":"pass'), expect: theirs(400, 'BAD_REQUEST') },
  { name: 'sign-up/email as a form with bracketed names', send: post('/sign-up/email', 'email[$gt]=&name[$ne]=', 'application/x-www-form-urlencoded'), expect: validation },
];

/** Inputs that reach better-auth's Node adapter or Express's router in ways the endpoints never see. */
const transport: Case[] = [
  { name: 'PUT sign-in/username', send: (ctx) => Promise.resolve(http(ctx.app).put(`${AUTH}/sign-in/username`).send({})), expect: notFoundEmpty },
  { name: 'an unknown auth endpoint', send: (ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}/does-not-exist`).send({})), expect: notFoundEmpty },
  { name: 'GET /api/auth/%ZZ (an undecodable path segment)', send: (ctx) => Promise.resolve(http(ctx.app).get(`${AUTH}/%ZZ`)), expect: { status: [400, 404], shape: 'any-error' } },
  { name: 'POST /api/auth/sign-in/%E0%A4%A (a truncated escape)', send: (ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}/sign-in/%E0%A4%A`).send({})), expect: { status: [400, 404], shape: 'any-error' } },
  {
    name: 'sign-in/email with X-Forwarded-Proto "a b"',
    send: (ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}/sign-in/email`).set('X-Forwarded-Proto', 'a b').send({ email: EMAIL, password: 'password123' })),
    expect: { status: [400, 401], shape: 'any-error' },
  },
  {
    name: 'sign-in/email with an unparsable Host header "[::1"',
    send: (ctx) => Promise.resolve(http(ctx.app).post(`${AUTH}/sign-in/email`).set('Host', '[::1').send({ email: EMAIL, password: 'password123' })),
    expect: { status: [400, 401], shape: 'any-error' },
  },
];

/**
 * Issue #11: disguised forms of better-auth's paths, which its router would resolve to the endpoint
 * while the rate limiter saw another path. Refused before the limiter and better-auth, in its shape;
 * the sign-up below would otherwise create a user and the owner's sign-in consume nothing new.
 * supertest keeps dot segments and escapes as written; backslashes and absolute-form targets are
 * in rate-limits.test.ts, sent byte for byte.
 */
const nonCanonical = theirs(400, 'NON_CANONICAL_PATH');
const disguisedPaths: Case[] = [
  { name: 'sign-in/email behind a "." segment', send: post('/./sign-in/email', { email: EMAIL, password: 'password123' }), expect: nonCanonical },
  { name: 'sign-in/username behind "x/.."', send: post('/x/../sign-in/username', { username: 'admin', password: 'password123' }), expect: nonCanonical },
  { name: 'a valid sign-up behind "%2e"', send: post('/%2e/sign-up/email', { email: 'disguised@example.com', password: 'password123', name: 'd' }), expect: nonCanonical },
  { name: 'a valid sign-up behind "%2E%2E/auth"', send: post('/%2E%2E/auth/sign-up/email', { email: 'disguised2@example.com', password: 'password123', name: 'd' }), expect: nonCanonical },
  {
    name: 'sign-in-wechat by the scene\'s own browser behind "x/.%2e"',
    send: (ctx) => Promise.resolve(ctx.owner.post(`${AUTH}/x/.%2e/sign-in-wechat`, { sceneId: ctx.sceneId })),
    expect: nonCanonical,
  },
  { name: 'sign-in with "%2F" for the slash', send: post('/sign-in%2Femail', { email: EMAIL, password: 'password123' }), expect: nonCanonical },
  { name: 'bind-wechat after an empty segment', send: withScene('//bind-wechat', (sceneId) => ({ sceneId })), expect: nonCanonical },
  { name: 'change-password behind a double-encoded dot segment', send: post('/%252e/change-password', { currentPassword: 'a', newPassword: 'b' }), expect: nonCanonical },
  { name: 'reset-password with a matrix parameter', send: post('/reset-password;jsessionid=x', { newPassword: 'password123', token: 't' }), expect: nonCanonical },
  { name: 'request-password-reset with an encoded NUL', send: post('/request-password-reset%00', { email: EMAIL }), expect: nonCanonical },
  { name: 'set-first-password with a trailing "/."', send: post('/set-first-password/.', { newPassword: 'password123' }), expect: nonCanonical },
  { name: 'GET get-session behind a "." segment', send: (ctx) => Promise.resolve(http(ctx.app).get(`${AUTH}/./get-session`)), expect: nonCanonical },
  { name: 'climbing out of /api/auth to /api/v1', send: post('/../v1/pub/site', {}), expect: nonCanonical },
  // Let through (nothing rewrites them into another path), and better-auth's router knows neither.
  { name: 'sign-in-wechat with a trailing slash', send: withScene('/sign-in-wechat/', (sceneId) => ({ sceneId })), expect: notFoundEmpty },
  { name: 'sign-in/email in upper case', send: post('/SIGN-IN/EMAIL', { email: EMAIL, password: 'password123' }), expect: notFoundEmpty },
];

const BATCHES: Record<string, Case[]> = {
  'POST sign-in-wechat': signInWechat,
  'POST bind-wechat': bindWechat,
  'web authorization': webAuthorization,
  'password sign-in': passwordSignIn,
  'POST sign-up/email': signUp,
  'paths and headers': transport,
  'disguised paths': disguisedPaths,
};

let harness: WechatHarness;
let ctx: Ctx;
let before: StoreCounts;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'safe' });
  const owner = browser(harness.runtime.app);
  ctx = { app: harness.runtime.app, sceneId: (await requestQrcode(owner)).sceneId, owner };
  before = await countStore(harness.runtime.database.db);
});
afterAll(async () => {
  await harness?.close();
});

describe('hostile input: auth endpoints', () => {
  describeBatches(BATCHES, () => ctx, async (current) => {
    const session = await http(current.app).get(`${AUTH}/get-session`);
    expect(session.status).toBe(200);
  });

  it('recorded nothing: no user, account or session, and the scene was not consumed', async () => {
    const db = harness.runtime.database.db;
    await expectScenePending(db, ctx.sceneId);
    expect(await countStore(db)).toEqual(before);
  });

  it('a genuine WeChat sign-in still works afterwards', async () => {
    const { body } = await signInByWechat(harness, newWechatUser());
    expect(body.isNewUser).toBe(true);
    expect((await countStore(harness.runtime.database.db)).users).toBe(before.users + 1);
  });
});
