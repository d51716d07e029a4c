import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnProfileSchema } from '@wechat-login/shared';
import { AVATAR_FILES_COLLECTION } from '../../src/profile/avatar-store.js';
import { RATE_LIMIT_RULES } from '../../src/rate-limit/rules.js';
import { browser, signUpByEmail, type Browser } from '../support/http.js';
import { NOT_IMAGES, solidPng, TINY_GIF, TINY_JPEG, TINY_WEBP } from '../support/images.js';
import { createTestRuntime, TEST_BASE_URL } from '../support/test-runtime.js';
import { newWechatUser, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

/** Small, so "too large" costs nothing to send. */
const MAX_BYTES = 8192;

let harness: WechatHarness;
let user: Browser;
let userId: string;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain', env: { AVATAR_MAX_BYTES: String(MAX_BYTES) } });
  const signedIn = await signInByWechat(harness, newWechatUser());
  user = signedIn.client;
  userId = signedIn.body.user.id;
});
afterAll(async () => {
  await harness?.close();
});

const upload = (client: Browser, body: Buffer, contentType: string | null, origin: string | null = TEST_BASE_URL) => {
  let req = client.agent.put('/api/v1/me/avatar');
  if (origin !== null) req = req.set('Origin', origin);
  if (contentType !== null) req = req.set('Content-Type', contentType);
  return req.send(body);
};

/** The avatar path under our origin, from the absolute URL stored in `image`. */
const pathOf = (image: string) => new URL(image).pathname;
const avatarFiles = () => harness.runtime.database.db.collection(AVATAR_FILES_COLLECTION).find({ 'metadata.userId': userId }).toArray();
const sessionImage = async () => (await user.get('/api/auth/get-session')).body.user.image as string | null;

function expectError(res: { status: number; body: unknown }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ success: false, error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe('avatar upload', () => {
  it.each([
    ['PNG', solidPng(8, 8, [200, 30, 30]), 'image/png'],
    ['JPEG', TINY_JPEG, 'image/jpeg'],
    ['WebP', TINY_WEBP, 'image/webp'],
    ['GIF', TINY_GIF, 'image/gif'],
  ])('accepts a %s and serves it back byte for byte with its type', async (_kind, bytes, contentType) => {
    const res = await upload(user, bytes, contentType);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const profile = OwnProfileSchema.parse(res.body.data);
    // Absolute, on the public URL (BETTER_AUTH_URL), so apps using this login can show it too.
    expect(profile.image).toMatch(new RegExp(`^${harness.baseUrl}/api/v1/pub/avatars/[0-9a-f]{24}$`));
    expect(profile.profileCompletedAt).toBeInstanceOf(Date);
    expect(await sessionImage()).toBe(profile.image);

    const served = await request(harness.runtime.app).get(pathOf(profile.image!)).buffer(true).parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe(contentType);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toMatch(/immutable/);
    expect(served.headers['cache-control']).toMatch(/max-age=\d{7,}/);
    expect(Buffer.compare(served.body as Buffer, bytes)).toBe(0);
  });

  it('stores what the bytes are, not what the label says', async () => {
    const res = await upload(user, TINY_JPEG, 'image/png');
    expect(res.status).toBe(200);
    const served = await request(harness.runtime.app).get(pathOf(res.body.data.image));
    expect(served.headers['content-type']).toBe('image/jpeg');
  });

  it('deletes the previous avatar when a new one replaces it', async () => {
    const first = (await upload(user, solidPng(4, 4, [0, 0, 255]), 'image/png')).body.data.image as string;
    const second = (await upload(user, solidPng(4, 4, [0, 255, 0]), 'image/png')).body.data.image as string;
    expect(second).not.toBe(first);
    const gone = await request(harness.runtime.app).get(pathOf(first));
    expectError(gone, 404, 'AVATAR_NOT_FOUND');
    const files = await avatarFiles();
    expect(files.map((f) => f._id.toHexString())).toEqual([pathOf(second).split('/').at(-1)]);
    const orphanChunks = await harness.runtime.database.db.collection('avatars.chunks').countDocuments({ files_id: { $nin: files.map((f) => f._id) } });
    expect(orphanChunks).toBe(0);
    expect((await request(harness.runtime.app).get(pathOf(second))).status).toBe(200);
  });

  it.each([
    ['an SVG', NOT_IMAGES.svg, 'image/svg+xml'],
    ['an SVG labelled image/png', NOT_IMAGES.svg, 'image/png'],
    ['an HTML page labelled image/png', NOT_IMAGES.html, 'image/png'],
    ['a PDF labelled image/jpeg', NOT_IMAGES.pdf, 'image/jpeg'],
    ['a PDF', NOT_IMAGES.pdf, 'application/pdf'],
    ['a PNG labelled application/octet-stream', solidPng(2, 2, [1, 2, 3]), 'application/octet-stream'],
    ['a PNG labelled text/html', solidPng(2, 2, [1, 2, 3]), 'text/html'],
  ])('refuses %s with 415 and keeps the current avatar', async (_kind, bytes, contentType) => {
    const before = await sessionImage();
    expectError(await upload(user, bytes, contentType), 415, 'UNSUPPORTED_AVATAR_TYPE');
    expect(await sessionImage()).toBe(before);
  });

  it('refuses an upload over AVATAR_MAX_BYTES with 413, and takes one of exactly that size', async () => {
    const png = solidPng(1, 1, [0, 0, 0]);
    const exact = Buffer.concat([png, Buffer.alloc(MAX_BYTES - png.length)]);
    const tooLarge = Buffer.concat([exact, Buffer.alloc(1)]);
    const refused = await upload(user, tooLarge, 'image/png');
    expectError(refused, 413, 'AVATAR_TOO_LARGE');
    expect(refused.body.error.details).toEqual({ maxBytes: MAX_BYTES });
    expect((await upload(user, exact, 'image/png')).status).toBe(200);
  });

  it('counts the bytes of an upload sent without Content-Length', async () => {
    const cookie = (await signUpByEmail(harness.runtime.app, { email: 'chunked@example.com', password: 'password-123', name: 'Chunked' }).then((c) =>
      c.agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }),
    ))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const send = (size: number) => {
      const png = solidPng(1, 1, [0, 0, 0]);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(png);
          for (let sent = png.length; sent < size; sent += 1024) controller.enqueue(new Uint8Array(Math.min(1024, size - sent)));
          controller.close();
        },
      });
      return fetch(`${harness.baseUrl}/api/v1/me/avatar`, {
        method: 'PUT',
        headers: { cookie, origin: TEST_BASE_URL, 'content-type': 'image/png' },
        body,
        duplex: 'half',
      } as RequestInit);
    };
    const refused = await send(MAX_BYTES * 4);
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('AVATAR_TOO_LARGE');
    expect((await send(MAX_BYTES)).status).toBe(200);
  });

  it('refuses an empty body with 400', async () => {
    expectError(await upload(user, Buffer.alloc(0), 'image/png'), 400, 'EMPTY_AVATAR');
  });

  it('answers 401 when not signed in', async () => {
    expectError(await upload(browser(harness.runtime.app), solidPng(2, 2, [9, 9, 9]), 'image/png'), 401, 'UNAUTHORIZED');
  });

  it('refuses a cookie-carrying upload from another origin, or from no origin at all', async () => {
    const before = await sessionImage();
    expectError(await upload(user, solidPng(2, 2, [9, 9, 9]), 'image/png', 'https://evil.example'), 403, 'INVALID_ORIGIN');
    expectError(await upload(user, solidPng(2, 2, [9, 9, 9]), 'image/png', null), 403, 'MISSING_OR_NULL_ORIGIN');
    expect(await sessionImage()).toBe(before);
  });

  it('answers 404 in our shape for unknown and malformed avatar ids', async () => {
    for (const id of ['0123456789abcdef01234567', 'not-an-id', '%24ne', '0123456789abcdef0123456z']) {
      expectError(await request(harness.runtime.app).get(`/api/v1/pub/avatars/${id}`), 404, 'AVATAR_NOT_FOUND');
    }
  });

  it('answers 304 to a browser revalidating an avatar it has', async () => {
    const image = (await upload(user, solidPng(3, 3, [7, 7, 7]), 'image/png')).body.data.image as string;
    const first = await request(harness.runtime.app).get(pathOf(image));
    const again = await request(harness.runtime.app).get(pathOf(image)).set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
  });
});

describe('avatar upload rate limit', () => {
  it('limits uploads per client with 429 in our shape', async () => {
    const runtime = await createTestRuntime({ env: { RATE_LIMIT_ENABLED: 'true' } });
    try {
      const client = await signUpByEmail(runtime.app, { email: 'rl@example.com', password: 'password-123', name: 'RL' });
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT_RULES.avatarUpload.max; i += 1) statuses.push((await upload(client, TINY_GIF, 'image/gif')).status);
      expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await runtime.close();
    }
  });
});
