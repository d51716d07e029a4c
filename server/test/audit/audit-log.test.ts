import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { pino } from 'pino';
import { AuditLog } from '../../src/audit/audit-log.js';
import { AUDIT_COLLECTION } from '../../src/audit/types.js';
import { silentLogger } from '../../src/logger.js';
import { uniqueDbName } from '../support/test-runtime.js';

let client: MongoClient;
let db: Db;

beforeAll(async () => {
  client = await MongoClient.connect(inject('mongoUri'));
  db = client.db(uniqueDbName('audit'));
});
afterAll(async () => {
  await client?.close();
});

const stored = (filter: object = {}) => db.collection(AUDIT_COLLECTION).find(filter).toArray();

/** Polls until `check` passes or the bound runs out (no fixed sleeps). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function capturingLogger() {
  const lines: { msg: string; dropped?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** A Db whose inserts fail the first `failures` times, then store into `written`. */
function flakyDb(failures: number, error: Error = new Error('connection reset')) {
  const written: unknown[] = [];
  let calls = 0;
  const fake = {
    collection: () => ({
      insertMany: async (docs: unknown[]) => {
        calls += 1;
        if (calls <= failures) throw error;
        written.push(...docs);
        return { insertedCount: docs.length };
      },
    }),
  } as unknown as Db;
  return { fake, written, calls: () => calls };
}

describe('AuditLog', () => {
  it('queues events without touching the database, and writes them on flush', async () => {
    const audit = new AuditLog(db, { logger: silentLogger, retentionDays: 180, flushIntervalMs: 60_000 });
    audit.record({ type: 'qr.created', outcome: 'success', ip: '198.51.100.1', details: { purpose: 'login' } });
    expect(await stored({ type: 'qr.created' })).toHaveLength(0);
    await audit.flush();
    const [doc] = await stored({ type: 'qr.created' });
    expect(doc).toMatchObject({ type: 'qr.created', outcome: 'success', ip: '198.51.100.1', userId: null, details: { purpose: 'login' } });
    expect(doc!.expiresAt.getTime() - doc!.at.getTime()).toBe(180 * 24 * 60 * 60 * 1000);
  });

  it('writes a batch when it is full, and a partial one after the interval', async () => {
    const bySize = new AuditLog(db, { logger: silentLogger, retentionDays: 1, batchSize: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i += 1) bySize.record({ type: 'scan.received', outcome: 'success', details: { n: i } });
    await eventually(async () => (await stored({ type: 'scan.received' })).length === 3);

    const byTime = new AuditLog(db, { logger: silentLogger, retentionDays: 1, flushIntervalMs: 30 });
    byTime.record({ type: 'scan.denied', outcome: 'success' });
    await eventually(async () => (await stored({ type: 'scan.denied' })).length === 1);
  });

  it('never stores a secret-looking detail', async () => {
    const audit = new AuditLog(db, { logger: silentLogger, retentionDays: 1 });
    audit.record({ type: 'wechat-api.token-refreshed', outcome: 'success', details: { access_token: 'ACCESS-TOKEN-VALUE', expiresIn: 7200 } });
    await audit.flush();
    const [doc] = await stored({ type: 'wechat-api.token-refreshed' });
    expect(doc!.details).toEqual({ expiresIn: 7200 });
    expect(JSON.stringify(doc)).not.toContain('ACCESS-TOKEN-VALUE');
  });

  it('retries a failed write once, then logs and drops the batch without throwing', async () => {
    const once = flakyDb(1);
    const recovered = new AuditLog(once.fake, { logger: silentLogger, retentionDays: 1 });
    recovered.record({ type: 'wechat-api.error', outcome: 'failure', details: { errcode: 40001 } });
    await recovered.flush();
    expect(once.written).toHaveLength(1);

    const always = flakyDb(Number.POSITIVE_INFINITY);
    const { logger, lines } = capturingLogger();
    const failing = new AuditLog(always.fake, { logger, retentionDays: 1 });
    failing.record({ type: 'wechat-api.error', outcome: 'failure' });
    failing.record({ type: 'wechat-api.error', outcome: 'failure' });
    await expect(failing.flush()).resolves.toBeUndefined();
    expect(always.calls()).toBe(2);
    expect(lines.find((line) => line.msg.startsWith('[API] audit'))).toMatchObject({ dropped: 2 });
    // The next events are written normally once the database answers again.
    await expect(failing.flush()).resolves.toBeUndefined();
  });

  it('counts a retry that only meets its own already-stored events as written', async () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key'), { code: 11000, writeErrors: [{ code: 11000 }] });
    const flaky = flakyDb(2, duplicate);
    const { logger, lines } = capturingLogger();
    const audit = new AuditLog(flaky.fake, { logger, retentionDays: 1 });
    audit.record({ type: 'qr.created', outcome: 'success' });
    await audit.flush();
    expect(flaky.calls()).toBe(1);
    expect(lines).toHaveLength(0);
  });

  it('deletes events past retention in the sweep', async () => {
    const dayMs = 24 * 60 * 60 * 1000;
    const past = new AuditLog(db, { logger: silentLogger, retentionDays: 1, now: () => Date.now() - 2 * dayMs });
    past.record({ type: 'admin.role-set', outcome: 'success', details: { role: 'old' } });
    await past.flush();
    const present = new AuditLog(db, { logger: silentLogger, retentionDays: 1 });
    present.record({ type: 'admin.role-set', outcome: 'success', details: { role: 'new' } });
    await present.flush();
    expect(await present.sweepExpired()).toBe(1);
    expect((await stored({ type: 'admin.role-set' })).map((doc) => doc.details.role)).toEqual(['new']);
  });

  it('flushes on close and refuses events afterwards', async () => {
    const audit = new AuditLog(db, { logger: silentLogger, retentionDays: 1, flushIntervalMs: 60_000 });
    audit.record({ type: 'webhook.signature-failed', outcome: 'failure' });
    await audit.close();
    audit.record({ type: 'webhook.signature-failed', outcome: 'failure' });
    await audit.flush();
    expect(await stored({ type: 'webhook.signature-failed' })).toHaveLength(1);
  });
});

describe('AuditLog: counted events (what a flood repeats)', () => {
  const WINDOW_MS = 10 * 60_000;
  const refused = (ip: string, code: string, userAgent = 'curl/8') => ({ type: 'webhook.signature-failed' as const, outcome: 'failure' as const, ip, userAgent, details: { code } });

  it('stores one event per type, IP and details in a window, with how many there were', async () => {
    let nowMs = Date.UTC(2026, 5, 1, 10, 0, 5);
    const audit = new AuditLog(db, { logger: silentLogger, retentionDays: 180, flushIntervalMs: 60_000, now: () => nowMs });
    for (let i = 0; i < 7; i += 1) audit.recordCounted(refused('198.51.100.21', 'WECHAT_SIGNATURE_INVALID', `agent-${i}`), WINDOW_MS);
    audit.recordCounted(refused('198.51.100.21', 'WECHAT_TIMESTAMP_OUT_OF_WINDOW'), WINDOW_MS);
    audit.recordCounted(refused('198.51.100.22', 'WECHAT_SIGNATURE_INVALID'), WINDOW_MS);
    expect(await stored({ ip: { $in: ['198.51.100.21', '198.51.100.22'] } })).toHaveLength(0); // queued, not written
    await audit.flush();
    nowMs += 60_000; // same window: counted into the stored event
    for (let i = 0; i < 3; i += 1) audit.recordCounted(refused('198.51.100.21', 'WECHAT_SIGNATURE_INVALID'), WINDOW_MS);
    await audit.flush();
    nowMs += WINDOW_MS; // the next window: a new event
    audit.recordCounted(refused('198.51.100.21', 'WECHAT_SIGNATURE_INVALID'), WINDOW_MS);
    await audit.flush();

    const docs = await stored({ ip: '198.51.100.21', 'details.code': 'WECHAT_SIGNATURE_INVALID' });
    expect(docs.map((doc) => doc.details.count).sort()).toEqual([1, 10]);
    const first = docs.find((doc) => doc.details.count === 10)!;
    expect(first).toMatchObject({ type: 'webhook.signature-failed', outcome: 'failure', userAgent: 'agent-0' });
    expect(first.at).toEqual(new Date(Date.UTC(2026, 5, 1, 10, 0, 5)));
    expect(first.expiresAt.getTime() - first.at.getTime()).toBe(180 * 24 * 60 * 60 * 1000);
    expect((await stored({ ip: '198.51.100.21', 'details.code': 'WECHAT_TIMESTAMP_OUT_OF_WINDOW' })).map((doc) => doc.details.count)).toEqual([1]);
    expect((await stored({ ip: '198.51.100.22' })).map((doc) => doc.details.count)).toEqual([1]);
    // Listed like any event, newest first.
    const page = await audit.list({ type: 'webhook.signature-failed', page: 1, pageSize: 100 });
    const listed = page.items.filter((item) => item.ip === '198.51.100.21' && item.details.code === 'WECHAT_SIGNATURE_INVALID');
    expect(listed.map((item) => item.details.count)).toEqual([1, 10]);
    expect(listed[1]).toMatchObject({ userId: null, userName: null, actorId: null, actorName: null, userAgent: 'agent-0' });
  });

  it('adds up the counts of several instances into one event', async () => {
    const nowMs = Date.UTC(2026, 5, 1, 11, 0, 0);
    const instances = [0, 1, 2].map(() => new AuditLog(db, { logger: silentLogger, retentionDays: 180, flushIntervalMs: 60_000, now: () => nowMs }));
    instances.forEach((audit, index) => {
      for (let i = 0; i <= index; i += 1) audit.recordCounted(refused('198.51.100.23', 'WECHAT_SIGNATURE_INVALID'), WINDOW_MS);
    });
    for (const audit of instances) await audit.flush();
    expect((await stored({ ip: '198.51.100.23' })).map((doc) => doc.details.count)).toEqual([6]);
  });

  it('makes one event of racing first writes from several instances', async () => {
    const nowMs = Date.UTC(2026, 5, 1, 11, 30, 0);
    const instances = [0, 1, 2].map(() => new AuditLog(db, { logger: silentLogger, retentionDays: 180, flushIntervalMs: 60_000, now: () => nowMs }));
    instances.forEach((audit, index) => {
      for (let i = 0; i <= index; i += 1) audit.recordCounted(refused('198.51.100.26', 'WECHAT_SIGNATURE_INVALID'), WINDOW_MS);
    });
    // All three write at once: the loser of the insert race adds to the winner's event.
    await Promise.all(instances.map((audit) => audit.flush()));
    const counts = (await stored({ ip: '198.51.100.26' })).map((doc) => doc.details.count as number);
    expect(counts).toHaveLength(1);
    // FerretDB applies $inc as read-then-write, so an increment racing another may be lost there: the
    // count is then a lower bound (the README says so). MongoDB's $inc is atomic: exact.
    if (inject('databaseKind') === 'ferretdb') expect(counts[0]).toBeGreaterThanOrEqual(3);
    else expect(counts[0]).toBe(6);
  });

  it('keeps the count its own: a caller cannot set it through the details', async () => {
    const audit = new AuditLog(db, { logger: silentLogger, retentionDays: 180, flushIntervalMs: 60_000 });
    audit.recordCounted({ ...refused('198.51.100.24', 'WECHAT_SIGNATURE_INVALID'), details: { code: 'WECHAT_SIGNATURE_INVALID', count: 1_000_000 } }, WINDOW_MS);
    audit.recordCounted({ ...refused('198.51.100.24', 'WECHAT_SIGNATURE_INVALID'), details: { code: 'WECHAT_SIGNATURE_INVALID', count: 5 } }, WINDOW_MS);
    await audit.flush();
    expect((await stored({ ip: '198.51.100.24' })).map((doc) => doc.details.count)).toEqual([2]);
  });

  it('writes counted events on close, and takes none afterwards', async () => {
    const audit = new AuditLog(db, { logger: silentLogger, retentionDays: 180, flushIntervalMs: 60_000 });
    audit.recordCounted(refused('198.51.100.25', 'WECHAT_SIGNATURE_INVALID'), WINDOW_MS);
    await audit.close();
    audit.recordCounted(refused('198.51.100.25', 'WECHAT_SIGNATURE_INVALID'), WINDOW_MS);
    await audit.flush();
    expect((await stored({ ip: '198.51.100.25' })).map((doc) => doc.details.count)).toEqual([1]);
  });
});
