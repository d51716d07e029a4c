import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { OnceClaims } from '../../src/db/claims.js';
import { connectDatabase, type Database } from '../../src/db/connection.js';
import { silentLogger } from '../../src/logger.js';
import { databaseSceneChangeFeed } from '../../src/wechat/scan-feed/database-feed.js';
import { ScanNotifier } from '../../src/wechat/scan-feed/scan-notifier.js';
import { ScanSignals } from '../../src/wechat/scan-feed/scan-signals.js';
import { type SceneDocument } from '../../src/wechat/scenes/scene.js';
import { SceneStore } from '../../src/wechat/scenes/scene-store.js';
import { uniqueDbName } from '../support/test-runtime.js';

/**
 * The scan notifier against a real database: what a waiting page hears, and when the pending-scene
 * cache must stop vouching for a scene. Two connections to one database stand for two instances.
 */

let instanceA: Database;
let instanceB: Database;
beforeAll(async () => {
  const dbName = uniqueDbName('scanfeed');
  [instanceA, instanceB] = await Promise.all([connectDatabase(inject('mongoUri'), { dbName }), connectDatabase(inject('mongoUri'), { dbName })]);
});
afterAll(async () => {
  await Promise.all([instanceA?.close(), instanceB?.close()]);
});

const opened: ScanNotifier[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(opened.splice(0).map((notifier) => notifier.close()));
});

function instance(database: Database, options: { useChangeStream?: boolean; now?: () => number } = {}) {
  const scenes = new SceneStore(database.db, new OnceClaims(database.db), { requireConfirmation: true });
  const signals = new ScanSignals(database.db);
  const feed = databaseSceneChangeFeed({ scenes, signals, useChangeStream: options.useChangeStream ?? false, logger: silentLogger });
  const notifier = new ScanNotifier(scenes, feed, { now: options.now });
  opened.push(notifier);
  return { scenes, signals, notifier };
}

async function newScene(scenes: SceneStore, ttlSeconds = 300): Promise<SceneDocument> {
  const sceneId = randomBytes(12).toString('base64url');
  return scenes.create({ sceneId, bindingSecret: 'secret', purpose: 'login', ticket: `ticket-${sceneId}`, ttlSeconds, requester: { userAgent: null, ip: null } });
}

/** Another instance records a scan: the scene changes in the database, then its signal lands. */
async function scanElsewhere(scene: SceneDocument, openid = 'oElsewhere'): Promise<void> {
  const other = instance(instanceB);
  await other.scenes.collection.updateOne({ _id: scene._id as never }, { $set: { status: 'scanned', openid, scannedAt: new Date() } });
  await other.signals.publish(scene._id);
}

function listener() {
  const heard: SceneDocument[] = [];
  return { heard, listen: (scene: SceneDocument) => heard.push(scene) };
}

/** Resolves once `signals.recent` has been read `times` more times: polls happened, without guessing a delay. */
function pollsSeen(signals: ScanSignals) {
  const recent = vi.spyOn(signals, 'recent');
  return async (times: number) => {
    const target = recent.mock.calls.length + times;
    await expect.poll(() => recent.mock.calls.length, { timeout: 5_000, interval: 20 }).toBeGreaterThanOrEqual(target);
  };
}

describe('subscribers in this process', () => {
  it('wakes a page at once when this process publishes, once, and only a page that does not know the status', async () => {
    const { scenes, notifier } = instance(instanceA);
    const scene = await newScene(scenes);
    const waiting = listener();
    const knowing = listener();
    notifier.subscribe(scene._id, 'pending', waiting.listen);
    notifier.subscribe(scene._id, 'scanned', knowing.listen);
    expect(notifier.waitingCount).toBe(2);
    const scanned = { ...scene, status: 'scanned' as const, openid: 'o1' };
    await notifier.publish(scanned);
    await notifier.publish(scanned);
    expect(waiting.heard.map((s) => s.status)).toEqual(['scanned']);
    expect(knowing.heard).toEqual([]);
    expect(notifier.waitingCount).toBe(1);
    await notifier.publish({ ...scanned, status: 'confirmed' });
    expect(knowing.heard.map((s) => s.status)).toEqual(['confirmed']);
    expect(notifier.waitingCount).toBe(0);
  });

  it('lets a page unsubscribe before anything happens', async () => {
    const { scenes, notifier } = instance(instanceA);
    const scene = await newScene(scenes);
    const page = listener();
    const unsubscribe = notifier.subscribe(scene._id, 'pending', page.listen);
    unsubscribe();
    unsubscribe();
    await notifier.publish({ ...scene, status: 'scanned' });
    expect(page.heard).toEqual([]);
    expect(notifier.waitingCount).toBe(0);
  });
});

describe('without change streams: the signals poll', () => {
  it('hears a scan recorded by another instance, also when its signal was written just before the page subscribed', async () => {
    const { scenes, notifier } = instance(instanceA);
    const scene = await newScene(scenes);
    await scanElsewhere(scene); // before anyone here waits
    const page = listener();
    notifier.subscribe(scene._id, 'pending', page.listen);
    await expect.poll(() => page.heard.length, { timeout: 5_000, interval: 20 }).toBe(1);
    expect(page.heard[0]).toMatchObject({ _id: scene._id, status: 'scanned', openid: 'oElsewhere' });
  });

  it('reads the scene once per signal for a page, however often the signal is polled again', async () => {
    const { scenes, signals, notifier } = instance(instanceA);
    const scene = await newScene(scenes);
    await scanElsewhere(scene);
    const find = vi.spyOn(scenes, 'find');
    const polls = pollsSeen(signals);
    const page = listener();
    // The page already knows the scan: the signal is checked but wakes nobody, and stays recent.
    notifier.subscribe(scene._id, 'scanned', page.listen);
    await polls(4);
    expect(find.mock.calls.filter(([id]) => id === scene._id)).toHaveLength(1);
    expect(page.heard).toEqual([]);
    expect(notifier.waitingCount).toBe(1);
  });

  it('wakes every page of a scene from one signal and one read, each once', async () => {
    const { scenes, notifier } = instance(instanceA);
    const scene = await newScene(scenes);
    const pages = [listener(), listener(), listener()];
    for (const page of pages) notifier.subscribe(scene._id, 'pending', page.listen);
    const find = vi.spyOn(scenes, 'find');
    await scanElsewhere(scene);
    await expect.poll(() => pages.map((page) => page.heard.length), { timeout: 5_000, interval: 20 }).toEqual([1, 1, 1]);
    expect(notifier.waitingCount).toBe(0); // woken pages are dropped: they cannot hear the scan twice
    expect(find.mock.calls.filter(([id]) => id === scene._id)).toHaveLength(1);
  });

  it('publishes a signal that another polling instance hears', async () => {
    const a = instance(instanceA);
    const b = instance(instanceB);
    const scene = await newScene(a.scenes);
    const page = listener();
    b.notifier.subscribe(scene._id, 'pending', page.listen);
    await a.scenes.collection.updateOne({ _id: scene._id as never }, { $set: { status: 'scanned', openid: 'oA', scannedAt: new Date() } });
    await a.notifier.publish({ ...scene, status: 'scanned', openid: 'oA' });
    await expect.poll(() => page.heard.map((s) => s.openid), { timeout: 5_000, interval: 20 }).toEqual(['oA']);
  });
});

describe('the pending-scene cache', () => {
  it('keeps only pending scenes, and not past their expiry', async () => {
    let nowMs = Date.now();
    const { scenes, notifier } = instance(instanceA, { now: () => nowMs });
    const scene = await newScene(scenes, 60);
    notifier.rememberPending({ ...scene, status: 'scanned' });
    expect(notifier.cachedPending(scene._id)).toBeUndefined();
    notifier.rememberPending(scene);
    expect(notifier.cachedPending(scene._id)).toEqual(scene);
    nowMs = scene.expiresAt.getTime();
    expect(notifier.cachedPending(scene._id)).toBeUndefined();
    nowMs = scene.expiresAt.getTime() - 1_000; // forgotten for good, not merely hidden
    expect(notifier.cachedPending(scene._id)).toBeUndefined();
  });

  it('forgets a scene this process publishes', async () => {
    const { scenes, notifier } = instance(instanceA);
    const scene = await newScene(scenes);
    notifier.rememberPending(scene);
    await notifier.publish({ ...scene, status: 'scanned' });
    expect(notifier.cachedPending(scene._id)).toBeUndefined();
  });

  it('forgets a scene as soon as a signal names it, and only that scene', async () => {
    const { scenes, notifier } = instance(instanceA);
    const [named, other] = [await newScene(scenes), await newScene(scenes)];
    notifier.rememberPending(named);
    notifier.rememberPending(other);
    await scanElsewhere(named);
    await expect.poll(() => notifier.cachedPending(named._id), { timeout: 5_000, interval: 20 }).toBeUndefined();
    expect(notifier.cachedPending(other._id)).toEqual(other);
  });

  it('forgets every scene when the signals cannot be read', async () => {
    const { scenes, signals, notifier } = instance(instanceA);
    const scene = await newScene(scenes);
    vi.spyOn(signals, 'recent').mockRejectedValue(new Error('connection reset'));
    notifier.rememberPending(scene);
    await expect.poll(() => notifier.cachedPending(scene._id), { timeout: 5_000, interval: 20 }).toBeUndefined();
  });

  it('is emptied by close', async () => {
    const { scenes, notifier } = instance(instanceA);
    const scene = await newScene(scenes);
    notifier.rememberPending(scene);
    notifier.subscribe(scene._id, 'pending', () => undefined);
    await notifier.close();
    expect(notifier.cachedPending(scene._id)).toBeUndefined();
    expect(notifier.waitingCount).toBe(0);
  });
});

describe('with a change stream', () => {
  /** The database's change stream, played by hand: it needs no replica set, and it can be made to fail. */
  function scriptedStream(scenes: SceneStore) {
    const stream = Object.assign(new EventEmitter(), { close: vi.fn(async () => undefined) });
    const watch = vi.spyOn(scenes.collection, 'watch').mockReturnValue(stream as never);
    return { stream, watch };
  }

  it('wakes pages and forgets the cached scene from a change, without writing signals', async () => {
    const { scenes, signals, notifier } = instance(instanceA, { useChangeStream: true });
    const { stream, watch } = scriptedStream(scenes);
    const publishSignal = vi.spyOn(signals, 'publish');
    const recent = vi.spyOn(signals, 'recent');
    const scene = await newScene(scenes);
    const page = listener();
    notifier.rememberPending(scene);
    notifier.subscribe(scene._id, 'pending', page.listen);
    expect(watch).toHaveBeenCalledTimes(1);
    stream.emit('change', { operationType: 'update', fullDocument: { ...scene, status: 'scanned' } });
    expect(page.heard.map((s) => s.status)).toEqual(['scanned']);
    expect(notifier.cachedPending(scene._id)).toBeUndefined();
    await notifier.publish({ ...scene, status: 'confirmed' });
    expect(publishSignal).not.toHaveBeenCalled();
    expect(recent).not.toHaveBeenCalled();
    await notifier.close();
    expect(stream.close).toHaveBeenCalledTimes(1);
  });

  it('falls back to the signals poll when the stream fails, forgetting what it cached', async () => {
    const { scenes, signals, notifier } = instance(instanceA, { useChangeStream: true });
    const { stream, watch } = scriptedStream(scenes);
    const scene = await newScene(scenes);
    const page = listener();
    notifier.rememberPending(scene);
    notifier.subscribe(scene._id, 'pending', page.listen);
    stream.emit('error', new Error('stream broke'));
    expect(notifier.cachedPending(scene._id)).toBeUndefined();
    await scanElsewhere(scene);
    await expect.poll(() => page.heard.map((s) => s.status), { timeout: 5_000, interval: 20 }).toEqual(['scanned']);
    // Polling now, it tells the other instances by signal, and opens no second stream.
    const publishSignal = vi.spyOn(signals, 'publish');
    notifier.subscribe(scene._id, 'scanned', () => undefined);
    await notifier.publish({ ...scene, status: 'confirmed' });
    expect(publishSignal).toHaveBeenCalledWith(scene._id);
    expect(watch).toHaveBeenCalledTimes(1);
  });
});
