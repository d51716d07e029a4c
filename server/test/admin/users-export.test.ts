import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import request from 'supertest';
import { ADMIN_USER_ROUTES } from '@wechat-login/shared';
import { USER_COLLECTION } from '../../src/auth/last-sign-in-store.js';
import type { Runtime } from '../../src/runtime.js';
import { auditEvents } from '../audit/audit-support.js';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { createTestRuntime } from '../support/test-runtime.js';
import { newWechatUser, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

const EXPORT_PATH = `/api/v1/admin${ADMIN_USER_ROUTES.exportCsv}`;
const BOM = '\uFEFF';
const COLUMNS = 'id,name,username,email,email_kind,email_verified,role,banned,sign_in_methods,created_at,last_sign_in_at,last_sign_in_method,last_sign_in_ip';

/** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += char;
  }
  if (field !== '' || record.length > 0) throw new Error('the CSV does not end with CRLF');
  return records;
}

/** The body as bytes: supertest would otherwise leave a text/csv answer unparsed. */
const asBytes = (req: request.Test) =>
  req.buffer(true).parse((stream, done) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('the users CSV export', () => {
  let harness: WechatHarness;
  let admin: Browser;
  let adminId: string;
  let openid: string;

  beforeAll(async () => {
    harness = await startWechatHarness({ mode: 'plain', env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' } });
    admin = await signInByUsername(harness.runtime.app, 'root', 'root-password-1');
    adminId = (await admin.get('/api/auth/get-session')).body.user.id;
    const person = newWechatUser({ unionid: `oUnion_${Date.now().toString(36)}` });
    openid = person.openid;
    await signInByWechat(harness, person);
    for (const [email, name] of [
      ['smith@example.com', 'Smith, "Jo"'],
      ['formula@example.com', '=HYPERLINK("http://x.example","y")'],
      ['plus@example.com', '+cmd|/C calc!A0'],
      ['minus@example.com', '-2+3'],
      ['at@example.com', '@SUM(A1:A9)'],
      ['zhang@example.com', '张三'],
    ]) {
      await signUpByEmail(harness.runtime.app, { email: email!, password: 'password-123', name: name! });
    }
  });
  afterAll(async () => {
    await harness?.close();
  });

  const exportAs = (client: Browser, query = '') => asBytes(client.get(`${EXPORT_PATH}${query}`));
  const rowsOf = (body: Buffer) => parseCsv(body.toString('utf8').slice(BOM.length));

  it('is UTF-8 with a BOM, an attachment named for the day, never cached, and one row per user', async () => {
    const res = await exportAs(admin);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    expect(res.headers['content-disposition']).toBe(`attachment; filename=users-${day}.csv`);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = rowsOf(body);
    expect(header!.join(',')).toBe(COLUMNS);
    const total = (await admin.get('/api/v1/admin/users?limit=1')).body.data.total as number;
    expect(rows).toHaveLength(total);
    expect(rows.every((row) => row.length === header!.length)).toBe(true);
    const zhang = rows.find((row) => row[3] === 'zhang@example.com')!;
    expect(zhang[1]).toBe('张三');
    expect(zhang.slice(4, 10)).toEqual(['real', 'false', 'user', 'false', 'email', expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)]);
    // Signing up signed them in.
    expect(zhang[10]).toMatch(/Z$/);
    expect(zhang[11]).toBe('email');
    const wechat = rows.find((row) => row[4] === 'placeholder')!;
    expect(wechat[8]).toBe('wechat');
    expect(wechat[11]).toBe('wechat');
  });

  it('quotes commas and quotes as RFC 4180 says, and defuses cells a spreadsheet would run', async () => {
    const body = (await exportAs(admin)).body as Buffer;
    expect(body.toString('utf8')).toContain(',"Smith, ""Jo""",');
    const names = new Map(rowsOf(body).map((row) => [row[3], row[1]]));
    expect(names.get('smith@example.com')).toBe('Smith, "Jo"');
    expect(names.get('formula@example.com')).toBe(`'=HYPERLINK("http://x.example","y")`);
    expect(names.get('plus@example.com')).toBe(`'+cmd|/C calc!A0`);
    expect(names.get('minus@example.com')).toBe(`'-2+3`);
    expect(names.get('at@example.com')).toBe(`'@SUM(A1:A9)`);
    for (const name of names.values()) expect(name).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('follows the list\'s filters and order', async () => {
    const admins = rowsOf((await exportAs(admin, '?role=admin')).body as Buffer);
    expect(admins.slice(1).map((row) => row[0])).toEqual([adminId]);
    const sorted = rowsOf((await exportAs(admin, '?search=example.com&sortBy=email&sortDirection=asc')).body as Buffer).slice(1);
    expect(sorted.map((row) => row[3])).toEqual(['at@example.com', 'formula@example.com', 'minus@example.com', 'plus@example.com', 'smith@example.com', 'zhang@example.com']);
    const wechatOnly = rowsOf((await exportAs(admin, '?hasWechat=true')).body as Buffer).slice(1);
    expect(wechatOnly.map((row) => row[4])).toEqual(['placeholder']);
    // Everybody here signed in moments ago: nobody is dormant since yesterday.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    expect(rowsOf((await exportAs(admin, `?notSignedInSince=${encodeURIComponent(yesterday)}`)).body as Buffer)).toEqual([COLUMNS.split(',')]);
  });

  it('carries no openid, unionid, password hash or token unless WeChat ids are asked for', async () => {
    const db = harness.runtime.database.db;
    const secrets = (await db.collection('account').find({}).toArray()).flatMap((account) => [account.password, account.accessToken, account.refreshToken, account.idToken, account.wechatUnionid]);
    const sessionTokens = (await db.collection('session').find({}).toArray()).map((session) => session.token as string);
    const plain = ((await exportAs(admin)).body as Buffer).toString('utf8');
    expect(plain).not.toContain(openid);
    for (const secret of [...secrets, ...sessionTokens].filter((value): value is string => typeof value === 'string' && value.length > 0)) expect(plain).not.toContain(secret);

    const withIds = await exportAs(admin, '?includeWechatIds=true');
    const [header, ...rows] = rowsOf(withIds.body as Buffer);
    expect(header!.slice(-2)).toEqual(['wechat_openid', 'wechat_unionid']);
    const wechat = rows.find((row) => row[4] === 'placeholder')!;
    expect(wechat.at(-2)).toBe(openid);
    expect(wechat.at(-1)).toMatch(/^oUnion_/);
    expect(rows.find((row) => row[3] === 'zhang@example.com')!.slice(-2)).toEqual(['', '']);
    const withoutPasswords = (withIds.body as Buffer).toString('utf8');
    for (const secret of secrets.filter((value): value is string => typeof value === 'string' && value.length > 0 && !value.startsWith('oUnion_'))) expect(withoutPasswords).not.toContain(secret);
  });

  it('refuses bad queries with 400 in JSON, not as a file', async () => {
    for (const query of ['?includeWechatIds=yes', '?notSignedInSince=yesterday', '?sortBy=password', '?limit=5']) {
      const res = await admin.get(`${EXPORT_PATH}${query}`);
      if (query === '?limit=5') {
        // Paging is the list's: the export takes every row and ignores it.
        expect(res.status).toBe(200);
        continue;
      }
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('INVALID_QUERY');
      expect(res.headers['content-disposition']).toBeUndefined();
    }
  });

  it('is for admins only', async () => {
    const user = await signInByUsername(harness.runtime.app, 'root', 'root-password-1').then(() => signUpByEmail(harness.runtime.app, { email: 'nosy@example.com', password: 'password-123', name: 'Nosy' }));
    const refused = await user.get(EXPORT_PATH);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await browser(harness.runtime.app).get(EXPORT_PATH)).status).toBe(401);
    expect(await auditEvents(harness.runtime, { type: 'admin.users-exported', actorId: { $ne: adminId } })).toEqual([]);
  });

  it('goes out as it is, streamed, even to a client that accepts compressed answers', async () => {
    const res = await asBytes(admin.get(EXPORT_PATH).set('Accept-Encoding', 'br, gzip'));
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect([...(res.body as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('records each export with its filter, its row count and whether WeChat ids were in it', async () => {
    await exportAs(admin, '?role=user&includeWechatIds=true&sortBy=name&sortDirection=asc');
    const events = await auditEvents(harness.runtime, { type: 'admin.users-exported', actorId: adminId });
    const last = events.at(-1)!;
    const users = (await admin.get('/api/v1/admin/users?role=user&limit=1')).body.data.total as number;
    expect(last).toMatchObject({ outcome: 'success', actorId: adminId, details: { filter: 'role=user&sortBy=name&sortDirection=asc', rows: users, includeWechatIds: true } });
    expect(events.some((event) => event.details.includeWechatIds === false)).toBe(true);
  });
});

describe('the export of 10,000 users', () => {
  let runtime: Runtime;
  let server: http.Server;
  let socketPath: string;
  let cookie: string;
  const COUNT = 10_000;

  beforeAll(async () => {
    runtime = await createTestRuntime({ env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' } });
    const users = runtime.database.db.collection(USER_COLLECTION);
    // Created a minute apart, oldest first: the export's default order (newest first) ends with user 0.
    const start = Date.UTC(2020, 0, 1);
    for (let from = 0; from < COUNT; from += 1000) {
      await users.insertMany(
        Array.from({ length: 1000 }, (_, k) => {
          const i = from + k;
          const created = new Date(start + i * 60_000);
          return { _id: new ObjectId(), name: `Bulk user ${String(i).padStart(5, '0')} ${'x'.repeat(24)}`, email: `bulk-user-${i}-${'y'.repeat(40)}@example.com`, emailVerified: false, role: 'user', createdAt: created, updatedAt: created };
        }),
      );
    }
    const admin = await signInByUsername(runtime.app, 'root', 'root-password-1');
    cookie = admin.agent.jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    // A Unix socket: its buffers are small and fixed (TCP on loopback may grow to megabytes), so a
    // client that stops reading stops the server within a few hundred kilobytes.
    socketPath = join(mkdtempSync(join(tmpdir(), 'export-')), 'app.sock');
    server = http.createServer(runtime.app);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  }, 180_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await runtime?.close();
  });

  it('sends the first rows before it has read the last ones, and waits for a client that stops reading', async () => {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ socketPath, path: `${EXPORT_PATH}?includeWechatIds=true`, headers: { cookie, 'accept-encoding': 'br, gzip' } }, resolve).on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    const first = await new Promise<Buffer>((resolve) => response.once('data', resolve));
    response.pause();
    const received: Buffer[] = [first];

    // While the client holds off, the export is not over: it was not recorded as done...
    expect(await auditEvents(runtime, { type: 'admin.users-exported' })).toEqual([]);
    // ...and the accounts of the last user (the oldest) are read only after this WeChat account is
    // linked: it shows in the last row. (Accounts are read batch by batch; FerretDB may have sorted
    // the users themselves all at once, so a rename of the user could be missed either way.)
    const oldest = await runtime.database.db.collection(USER_COLLECTION).findOne({ name: /^Bulk user 00000 / });
    const now = new Date();
    await runtime.database.db.collection('account').insertOne({ _id: new ObjectId(), userId: oldest!._id, providerId: 'wechat', accountId: 'oLinkedWhileTheExportWaited', wechatOpenid: 'oLinkedWhileTheExportWaited', createdAt: now, updatedAt: now });

    response.on('data', (chunk: Buffer) => received.push(chunk));
    response.resume();
    await new Promise((resolve) => response.once('end', resolve));
    const rows = parseCsv(Buffer.concat(received).toString('utf8').slice(BOM.length)).slice(1);
    expect(rows).toHaveLength(COUNT + 1);
    expect(rows.at(-1)![0]).toBe(oldest!._id.toHexString());
    expect(rows.at(-1)!.at(-2)).toBe('oLinkedWhileTheExportWaited');
    expect(new Set(rows.map((row) => row[0])).size).toBe(COUNT + 1);
    const [event] = await auditEvents(runtime, { type: 'admin.users-exported' });
    expect(event).toMatchObject({ outcome: 'success', details: { rows: COUNT + 1, includeWechatIds: true } });
  });

  it('stops reading users when the client goes away, and records the export as cut short', async () => {
    const before = (await auditEvents(runtime, { type: 'admin.users-exported' })).length;
    const closed = await new Promise<void>((resolve, reject) => {
      const req = http.get({ socketPath, path: EXPORT_PATH, headers: { cookie } }, (response) => {
        response.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    });
    expect(closed).toBeUndefined();
    // Bounded poll: the server learns of the close asynchronously.
    let events: Awaited<ReturnType<typeof auditEvents>> = [];
    for (let i = 0; i < 200 && events.length <= before; i += 1) {
      events = await auditEvents(runtime, { type: 'admin.users-exported' });
      if (events.length <= before) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(events.at(-1)).toMatchObject({ outcome: 'failure', details: { code: 'CONNECTION_CLOSED' } });
    expect(events.at(-1)!.details.rows).toBeLessThan(COUNT + 1);
  });
});
