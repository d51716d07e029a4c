import { gzipSync } from 'node:zlib';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDING_COOKIE_NAME } from '../../src/http/binding-cookie.js';
import { browser, type Browser } from '../support/http.js';
import { startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { countStore, expectScenePending, http, ours, sendOversizedHead, type HostileCase, type StoreCounts, describeBatches } from './hostile-input-corpus.js';

/**
 * Issue #6, our public routes: the QR routes under /api/v1/pub/mp, the site facts, the JSON body
 * parser in front of /api/v1, and the admin API without a session. Every refusal is a 4xx in our
 * shape; the target scene (owned by one browser) must come out of it untouched.
 */

interface Ctx {
  app: Express;
  sceneId: string;
  /** The owner's binding cookie value, for the cookie-confusion cases. */
  ownerSecret: string;
}
type Case = HostileCase<Ctx>;

const MP = '/api/v1/pub/mp';
const invalidQuery = ours(400, 'INVALID_QUERY');
const sceneNotFound = ours(404, 'SCENE_NOT_FOUND');
const unauthorized = ours(401, 'UNAUTHORIZED');
const notFound = ours(404, 'NOT_FOUND');
/** Issue #11: a path a URL parser would rewrite is refused before any limiter or router sees it. */
const nonCanonical = ours(400, 'NON_CANONICAL_PATH');
const FORGED_SECRET = 'F'.repeat(43);

const get = (path: string) => (ctx: Ctx) => Promise.resolve(http(ctx.app).get(path));
const getWithCookie = (path: (ctx: Ctx) => string, cookie: (ctx: Ctx) => string) => (ctx: Ctx) => Promise.resolve(http(ctx.app).get(path(ctx)).set('Cookie', cookie(ctx)));
const postJson = (path: string, body: string | Buffer, contentType = 'application/json') => (ctx: Ctx) =>
  Promise.resolve(http(ctx.app).post(path).set('Content-Type', contentType).send(body));
/** Bytes as they are: superagent would otherwise JSON-encode a Buffer sent as application/json. */
const postEncodedJson = (path: string, bytes: Buffer, contentEncoding: string) => (ctx: Ctx) =>
  Promise.resolve(
    http(ctx.app)
      .post(path)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', contentEncoding)
      .serialize((body: unknown) => body as string)
      .send(bytes),
  );

const getQrcode: Case[] = [
  { name: 'get-qrcode?purpose=admin', send: get(`${MP}/get-qrcode?purpose=admin`), expect: invalidQuery },
  { name: 'get-qrcode with purpose twice', send: get(`${MP}/get-qrcode?purpose=bind&purpose=login`), expect: invalidQuery },
  { name: 'get-qrcode?purpose=BIND (wrong case)', send: get(`${MP}/get-qrcode?purpose=BIND`), expect: invalidQuery },
  { name: 'get-qrcode?purpose=login followed by NUL', send: get(`${MP}/get-qrcode?purpose=login%00`), expect: invalidQuery },
  { name: 'get-qrcode with a 10 KB purpose', send: get(`${MP}/get-qrcode?purpose=${'b'.repeat(10_240)}`), expect: invalidQuery },
  { name: 'get-qrcode?purpose={"$gt":""}', send: get(`${MP}/get-qrcode?purpose=${encodeURIComponent('{"$gt":""}')}`), expect: invalidQuery },
  {
    // The simple query parser keeps "purpose[$ne]" as a name of its own: an unknown parameter, no operator.
    name: 'get-qrcode?purpose[$ne]=bind is an unknown parameter, not an operator',
    send: get(`${MP}/get-qrcode?purpose[$ne]=bind`),
    expect: { status: 200, shape: 'our-success' },
  },
  { name: 'POST to get-qrcode', send: postJson(`${MP}/get-qrcode`, '{"purpose":"bind"}'), expect: notFound },
  { name: 'get-qrcode with a 100 KB query string', send: (ctx) => sendOversizedHead(ctx.app, 'GET', `${MP}/get-qrcode?pad=${'p'.repeat(100 * 1024)}`), expect: { status: 431, shape: 'node-refusal' } },
];

const result = (query: string) => `${MP}/get-scan-result?${query}`;
const getScanResult: Case[] = [
  { name: 'get-scan-result without sceneId', send: get(result('')), expect: invalidQuery },
  { name: 'get-scan-result with an empty sceneId', send: get(result('sceneId=')), expect: invalidQuery },
  { name: 'get-scan-result with the scene id twice', send: getWithCookie((ctx) => result(`sceneId=${ctx.sceneId}&sceneId=${ctx.sceneId}`), (ctx) => `${BINDING_COOKIE_NAME}=${ctx.ownerSecret}`), expect: invalidQuery },
  { name: 'get-scan-result?sceneId[$ne]=', send: get(result('sceneId[$ne]=')), expect: invalidQuery },
  { name: 'get-scan-result?sceneId={"$gt":""}', send: get(result(`sceneId=${encodeURIComponent('{"$gt":""}')}`)), expect: invalidQuery },
  { name: 'get-scan-result?sceneId[$regex]=.*', send: get(result('sceneId[$regex]=.*')), expect: invalidQuery },
  { name: 'get-scan-result with a 10 KB sceneId', send: get(result(`sceneId=${'s'.repeat(10_240)}`)), expect: invalidQuery },
  { name: 'get-scan-result?sceneId=%ZZ (undecodable)', send: get(result('sceneId=%ZZ')), expect: invalidQuery },
  { name: 'get-scan-result with the scene id plus NUL', send: (ctx) => get(result(`sceneId=${ctx.sceneId}%00`))(ctx), expect: invalidQuery },
  { name: 'get-scan-result with the scene id plus a newline', send: (ctx) => get(result(`sceneId=${ctx.sceneId}%0A`))(ctx), expect: invalidQuery },
  { name: 'get-scan-result with an RTL override before the scene id', send: (ctx) => get(result(`sceneId=%E2%80%AE${ctx.sceneId}`))(ctx), expect: invalidQuery },
  { name: 'get-scan-result with an overlong UTF-8 slash (%C0%AF)', send: get(result(`sceneId=${'a'.repeat(22)}%C0%AF`)), expect: invalidQuery },
  { name: 'get-scan-result with a lone surrogate (%ED%A0%80)', send: get(result(`sceneId=${'a'.repeat(23)}%ED%A0%80`)), expect: invalidQuery },
  { name: 'get-scan-result with emoji', send: get(result(`sceneId=${'a'.repeat(20)}${encodeURIComponent('😀😀')}`)), expect: invalidQuery },
  { name: 'get-scan-result of the scene without its binding cookie', send: (ctx) => get(result(`sceneId=${ctx.sceneId}`))(ctx), expect: sceneNotFound },
  { name: 'get-scan-result of the scene with a forged binding cookie', send: getWithCookie((ctx) => result(`sceneId=${ctx.sceneId}`), () => `${BINDING_COOKIE_NAME}=${FORGED_SECRET}`), expect: sceneNotFound },
  {
    name: 'get-scan-result with a forged binding cookie before the real one',
    send: getWithCookie((ctx) => result(`sceneId=${ctx.sceneId}`), (ctx) => `${BINDING_COOKIE_NAME}=${FORGED_SECRET}; ${BINDING_COOKIE_NAME}=${ctx.ownerSecret}`),
    expect: sceneNotFound,
  },
  { name: 'get-scan-result with an operator-shaped binding cookie', send: getWithCookie((ctx) => result(`sceneId=${ctx.sceneId}`), () => `${BINDING_COOKIE_NAME}={"$ne":null}`), expect: sceneNotFound },
  { name: 'get-scan-result with a 10 KB binding cookie', send: getWithCookie((ctx) => result(`sceneId=${ctx.sceneId}`), () => `${BINDING_COOKIE_NAME}=${'c'.repeat(10_240)}`), expect: sceneNotFound },
  { name: 'get-scan-result of an unknown, well-formed scene id', send: get(result(`sceneId=${'u'.repeat(24)}`)), expect: sceneNotFound },
];

const events = (query: string) => `${MP}/scan-events?${query}`;
const scanEvents: Case[] = [
  { name: 'scan-events without sceneId', send: get(events('')), expect: invalidQuery },
  { name: 'scan-events with sceneId twice', send: (ctx) => get(events(`sceneId=${ctx.sceneId}&sceneId=${'u'.repeat(24)}`))(ctx), expect: invalidQuery },
  { name: 'scan-events?sceneId[$ne]=', send: get(events('sceneId[$ne]=')), expect: invalidQuery },
  { name: 'scan-events with a 10 KB sceneId', send: get(events(`sceneId=${'s'.repeat(10_240)}`)), expect: invalidQuery },
  { name: 'scan-events of the scene without its binding cookie (no stream opens)', send: (ctx) => get(events(`sceneId=${ctx.sceneId}`))(ctx), expect: sceneNotFound },
  { name: 'scan-events of the scene with a forged binding cookie', send: getWithCookie((ctx) => events(`sceneId=${ctx.sceneId}`), () => `${BINDING_COOKIE_NAME}=${FORGED_SECRET}`), expect: sceneNotFound },
  { name: 'scan-events of an unknown, well-formed scene id', send: get(events(`sceneId=${'u'.repeat(24)}`)), expect: sceneNotFound },
];

const V1 = '/api/v1/pub/site';
const siteAndBodies: Case[] = [
  { name: 'site with duplicated, undecodable and bracketed parameters', send: get(`${V1}?x=%ZZ&x=1&y[$ne]=&z=${encodeURIComponent('\u202E\u0000')}`), expect: { status: 200, shape: 'our-success' } },
  { name: 'POST to site (GET only)', send: postJson(V1, '{"siteName":"pwned"}'), expect: notFound },
  { name: 'truncated JSON to /api/v1', send: postJson(V1, '{"siteName": "'), expect: ours(400, 'MALFORMED_JSON') },
  { name: 'a top-level JSON string to /api/v1', send: postJson(V1, '"hello"'), expect: ours(400, 'MALFORMED_JSON') },
  { name: 'a 200 KB JSON body to /api/v1', send: postJson(V1, JSON.stringify({ big: 'x'.repeat(200 * 1024) })), expect: ours(413, 'PAYLOAD_TOO_LARGE') },
  { name: 'a gzip bomb of JSON to /api/v1', send: postEncodedJson(V1, gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)), 'gzip'), expect: ours(413, 'PAYLOAD_TOO_LARGE') },
  { name: 'Content-Encoding: gzip on JSON that is not gzip', send: postEncodedJson(V1, Buffer.from('{"a":1}'), 'gzip'), expect: ours([400, 415]) },
  { name: 'a gzip JSON body truncated halfway', send: postEncodedJson(V1, gzipSync(Buffer.from(JSON.stringify({ a: 'x'.repeat(4096) }))).subarray(0, 20), 'gzip'), expect: ours([400, 415]) },
  { name: 'JSON in charset iso-8859-1', send: postJson(V1, '{}', 'application/json; charset=iso-8859-1'), expect: ours(415, 'UNSUPPORTED_MEDIA_TYPE') },
  { name: 'JSON nested 40 000 deep', send: postJson(V1, `${'['.repeat(40_000)}${']'.repeat(40_000)}`), expect: notFound },
  { name: 'JSON with a lone surrogate and NUL escapes', send: postJson(V1, '{"a":"\\ud800\\u0000\\u202e"}'), expect: notFound },
];

const ADMIN = '/api/v1/admin/users';
const adminUnauthenticated: Case[] = [
  { name: 'admin users without a session', send: get(ADMIN), expect: unauthorized },
  { name: 'admin users?search[$regex]=.*', send: get(`${ADMIN}?search[$regex]=.*`), expect: unauthorized },
  { name: 'admin users with limit twice and out of range', send: get(`${ADMIN}?limit=-1&limit=1000`), expect: unauthorized },
  { name: 'admin users with an operator-shaped session cookie', send: getWithCookie(() => ADMIN, () => 'better-auth.session_token={"$ne":null}'), expect: unauthorized },
  { name: 'admin users with a 10 KB session cookie', send: getWithCookie(() => ADMIN, () => `better-auth.session_token=${'t'.repeat(10_240)}`), expect: unauthorized },
  { name: 'admin users with a junk bearer token', send: (ctx) => Promise.resolve(http(ctx.app).get(ADMIN).set('Authorization', 'Bearer {"$ne":null}')), expect: unauthorized },
  { name: 'admin user %ZZ (undecodable id)', send: get(`${ADMIN}/%ZZ`), expect: nonCanonical },
  { name: 'admin user ..%2F..%2Fetc%2Fpasswd', send: get(`${ADMIN}/..%2F..%2Fetc%2Fpasswd`), expect: nonCanonical },
  { name: 'admin unbind-wechat with an operator body', send: postJson(`${ADMIN}/x/unbind-wechat`, '{"$where":"1"}'), expect: unauthorized },
];

/**
 * Issues 15 and 16: the applications API, a person's authorized apps, the users export and an admin's
 * avatar upload, without a session, with operator-shaped values and behind disguises. None may answer
 * anything but a refusal in our shape; the store counts after the run prove nothing was written.
 */
const APPS = '/api/v1/admin/applications';
const AUTHORIZED = '/api/v1/me/authorized-apps';
const sendJson = (method: 'patch' | 'delete', path: string, body: string) => (ctx: Ctx) =>
  Promise.resolve(http(ctx.app)[method](path).set('Content-Type', 'application/json').set('Origin', 'https://evil.example').send(body));
const putImage = (path: string) => (ctx: Ctx) =>
  Promise.resolve(http(ctx.app).put(path).set('Content-Type', 'image/png').send(Buffer.from('89504e470d0a1a0a', 'hex')));
const newRoutesUnauthenticated: Case[] = [
  { name: 'applications without a session', send: get(APPS), expect: unauthorized },
  { name: 'register an application without a session, operator body', send: postJson(APPS, '{"name":{"$ne":null},"type":"public","redirectUris":["https://x.example/cb"],"scopes":["openid"]}'), expect: unauthorized },
  { name: 'an application with an operator-shaped session cookie', send: getWithCookie(() => `${APPS}/abc`, () => 'better-auth.session_token={"$ne":null}'), expect: unauthorized },
  { name: "change an application from another site's page", send: sendJson('patch', `${APPS}/abc`, '{"redirectUris":["https://evil.example/cb"]}'), expect: unauthorized },
  { name: 'delete an application without a session', send: sendJson('delete', `${APPS}/abc`, '{}'), expect: unauthorized },
  { name: 'rotate a secret without a session', send: postJson(`${APPS}/abc/rotate-secret`, '{}'), expect: unauthorized },
  { name: "an application's activity without a session", send: get(`${APPS}/abc/activity`), expect: unauthorized },
  { name: 'an application id climbing with "..%2f"', send: get(`${APPS}/..%2f..%2fusers`), expect: nonCanonical },
  { name: 'applications behind "x/.."', send: get('/api/v1/admin/x/../applications'), expect: nonCanonical },
  { name: 'authorized apps without a session', send: get(AUTHORIZED), expect: unauthorized },
  { name: 'revoke an app without a session', send: sendJson('delete', `${AUTHORIZED}/abc`, '{}'), expect: ours([401, 403]) },
  { name: 'revoke behind "%2e%2e"', send: sendJson('delete', `${AUTHORIZED}/%2e%2e/%2e%2e/admin/applications/abc`, '{}'), expect: nonCanonical },
  { name: 'the users export without a session', send: get('/api/v1/admin/users/export.csv?includeWechatIds=true'), expect: unauthorized },
  { name: 'the users export with an operator in the filter', send: get('/api/v1/admin/users/export.csv?search[$regex]=.*&includeWechatIds=true'), expect: unauthorized },
  { name: 'the users export behind "."', send: get('/api/v1/admin/users/./export.csv'), expect: nonCanonical },
  { name: "an admin's avatar upload without a session", send: putImage(`${ADMIN}/abc/avatar`), expect: unauthorized },
  { name: "an admin's avatar upload climbing to another user", send: putImage(`${ADMIN}/abc/..%2fdef/avatar`), expect: nonCanonical },
];

/**
 * Issue #11: disguised forms of our paths. supertest keeps dot segments and escapes as written;
 * backslashes and absolute-form targets are in rate-limits.test.ts, sent byte for byte.
 */
const disguisedPaths: Case[] = [
  { name: 'get-qrcode behind a "." segment', send: get(`${MP}/./get-qrcode`), expect: nonCanonical },
  { name: 'get-scan-result of the scene behind "x/.."', send: (ctx) => get(`${MP}/x/../get-scan-result?sceneId=${ctx.sceneId}`)(ctx), expect: nonCanonical },
  { name: 'get-qrcode behind "%2e%2e/mp"', send: get(`${MP}/%2e%2e/mp/get-qrcode`), expect: nonCanonical },
  { name: 'scan-events behind ".%2E/mp"', send: get(`${MP}/.%2E/mp/scan-events?sceneId=${'u'.repeat(24)}`), expect: nonCanonical },
  { name: 'the site route with an empty segment', send: get('/api/v1//pub/site'), expect: nonCanonical },
  { name: 'the site route behind "/api/./v1"', send: get('/api/./v1/pub/site'), expect: nonCanonical },
  { name: 'the site route with a trailing "%2F"', send: get('/api/v1/pub/site%2F'), expect: nonCanonical },
  { name: 'an avatar id climbing with "..%2f"', send: get('/api/v1/pub/avatars/..%2f..%2fadmin%2fusers'), expect: nonCanonical },
  { name: 'the admin users with a matrix parameter', send: get(`${ADMIN};jsessionid=x`), expect: nonCanonical },
  { name: 'the site route with an encoded NUL', send: get('/api/v1/pub/site%00'), expect: nonCanonical },
  { name: 'get-qrcode behind a double-encoded dot segment', send: get(`${MP}/%252e/get-qrcode`), expect: nonCanonical },
  { name: 'POST get-qrcode behind "x/.." with a JSON body', send: postJson(`${MP}/x/../get-qrcode`, '{"purpose":"bind"}'), expect: nonCanonical },
  // Express routes ignore case and one trailing slash: the same handler, its limiter and its checks.
  { name: 'get-qrcode in upper case with a bad purpose', send: get(`${MP}/GET-QRCODE?purpose=admin`), expect: invalidQuery },
  { name: 'get-scan-result with a trailing slash, of the scene without its cookie', send: (ctx) => get(`${MP}/get-scan-result/?sceneId=${ctx.sceneId}`)(ctx), expect: sceneNotFound },
];

const BATCHES: Record<string, Case[]> = {
  'GET get-qrcode': getQrcode,
  'GET get-scan-result': getScanResult,
  'GET scan-events': scanEvents,
  'the site route and the JSON body parser': siteAndBodies,
  'the admin API without a session': adminUnauthenticated,
  'the applications, authorized apps, export and avatar routes without a session': newRoutesUnauthenticated,
  'disguised paths': disguisedPaths,
};

let harness: WechatHarness;
let ctx: Ctx;
let owner: Browser;
let before: StoreCounts;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'safe' });
  owner = browser(harness.runtime.app);
  const issued = await owner.get(`${MP}/get-qrcode`);
  const setCookies = ([] as string[]).concat(issued.headers['set-cookie'] ?? []);
  const ownerSecret = setCookies.map((line) => new RegExp(`^${BINDING_COOKIE_NAME}=([^;]+)`).exec(line)?.[1]).find(Boolean);
  if (issued.status !== 200 || !ownerSecret) throw new Error(`get-qrcode failed: ${issued.status} ${issued.text}`);
  ctx = { app: harness.runtime.app, sceneId: issued.body.data.sceneId as string, ownerSecret };
  before = await countStore(harness.runtime.database.db);
});
afterAll(async () => {
  await harness?.close();
});

describe('hostile input: public routes', () => {
  describeBatches(BATCHES, () => ctx, async (current) => {
    const poll = await owner.get(`${MP}/get-scan-result?sceneId=${current.sceneId}`);
    expect(poll.body).toEqual({ success: true, data: { status: 'pending', scanned: false } });
  });

  it('recorded nothing: the scene is pending, no claim, user or session', async () => {
    const db = harness.runtime.database.db;
    await expectScenePending(db, ctx.sceneId);
    expect(await countStore(db)).toEqual(before);
  });
});
