import type { ChangeStream } from 'mongodb';
import type { Logger } from '../logger.js';
import type { ScanSignals } from './scan-signals.js';
import type { SceneDocument, SceneStore } from './scenes.js';

/** How often, without change streams, one query reads the recent scan signals. */
export const SIGNAL_POLL_INTERVAL_MS = 100;
/** Bounds the memory of the pending-scene cache (a pending scene is ~300 bytes). */
const MAX_CACHED_PENDING_SCENES = 50_000;

type SceneListener = (scene: SceneDocument) => void;

/**
 * Tells waiting browsers (SSE) that their scene was scanned, in whichever
 * instance the webhook landed. The database is the meeting point: a change
 * stream where the server has them, else one poll of the scan signals per
 * process, however many pages wait. A scan recorded in this process is
 * announced at once.
 *
 * Because it hears of every change, it also keeps recently read pending
 * scenes in memory, so get-scan-result polls for a pending scene cost no
 * database read: an entry is dropped as soon as a signal or change names it.
 */
export class ScanNotifier {
  private readonly listeners = new Map<string, Set<SceneListener>>();
  private readonly pendingCache = new Map<string, SceneDocument>();
  private pollTimer: NodeJS.Timeout | null = null;
  private changeStream: ChangeStream | null = null;
  private polling = false;

  constructor(
    private readonly scenes: SceneStore,
    private readonly signals: ScanSignals,
    private readonly options: { useChangeStream: boolean; logger: Logger; now?: () => number },
  ) {}

  /** Calls `listener` once when the scene leaves `pending`. Returns an unsubscribe function. */
  subscribe(sceneId: string, listener: SceneListener): () => void {
    let set = this.listeners.get(sceneId);
    if (!set) {
      set = new Set();
      this.listeners.set(sceneId, set);
    }
    set.add(listener);
    this.ensureWatching();
    return () => this.unsubscribe(sceneId, listener);
  }

  /** Called by the webhook right after recording a scan: wakes local pages, then tells the other instances. */
  async publish(scene: SceneDocument): Promise<void> {
    this.pendingCache.delete(scene._id);
    this.deliver(scene);
    if (!this.options.useChangeStream) await this.signals.publish(scene._id);
  }

  /** A pending scene read recently, still pending as far as any instance has said. */
  cachedPending(sceneId: string): SceneDocument | undefined {
    const scene = this.pendingCache.get(sceneId);
    if (scene && scene.expiresAt.getTime() <= (this.options.now ?? Date.now)()) {
      this.pendingCache.delete(sceneId);
      return undefined;
    }
    return scene;
  }

  rememberPending(scene: SceneDocument): void {
    if (scene.status !== 'pending') return;
    if (this.pendingCache.size >= MAX_CACHED_PENDING_SCENES) this.pendingCache.delete(this.pendingCache.keys().next().value!);
    this.pendingCache.set(scene._id, scene);
    this.ensureWatching();
  }

  get waitingCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  async close(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    await this.changeStream?.close().catch(() => undefined);
    this.changeStream = null;
    this.listeners.clear();
    this.pendingCache.clear();
  }

  private unsubscribe(sceneId: string, listener: SceneListener): void {
    const set = this.listeners.get(sceneId);
    if (!set) return;
    set.delete(listener);
    if (set.size === 0) this.listeners.delete(sceneId);
  }

  private deliver(scene: SceneDocument): void {
    const set = this.listeners.get(scene._id);
    if (!set) return;
    this.listeners.delete(scene._id);
    for (const listener of set) listener(scene);
  }

  private ensureWatching(): void {
    if (this.options.useChangeStream) {
      if (!this.changeStream) this.startChangeStream();
      return;
    }
    if (!this.pollTimer) {
      this.pollTimer = setInterval(() => void this.pollOnce(), SIGNAL_POLL_INTERVAL_MS);
      this.pollTimer.unref();
    }
  }

  private startChangeStream(): void {
    const stream = this.scenes.model.collection.watch(
      [{ $match: { operationType: 'update', 'updateDescription.updatedFields.status': { $in: ['scanned', 'consumed'] } } }],
      { fullDocument: 'updateLookup' },
    );
    stream.on('change', (change) => {
      if (!('fullDocument' in change) || !change.fullDocument) return;
      const scene = change.fullDocument as unknown as SceneDocument;
      this.pendingCache.delete(scene._id);
      this.deliver(scene);
    });
    stream.on('error', (error) => {
      this.options.logger.warn({ err: error }, '[WeChat MP] scene change stream failed; falling back to polling');
      this.pendingCache.clear();
      this.changeStream = null;
      this.options.useChangeStream = false;
      this.ensureWatching();
    });
    this.changeStream = stream;
  }

  private async pollOnce(): Promise<void> {
    if (this.polling) return;
    if (this.listeners.size === 0 && this.pendingCache.size === 0) {
      if (this.pollTimer) clearInterval(this.pollTimer);
      this.pollTimer = null;
      return;
    }
    this.polling = true;
    try {
      for (const signal of await this.signals.recent()) {
        this.pendingCache.delete(signal.sceneId);
        if (!this.listeners.has(signal.sceneId)) continue;
        const scene = await this.scenes.find(signal.sceneId);
        if (scene && scene.status !== 'pending') this.deliver(scene);
      }
    } catch (error) {
      // Without the signals we cannot vouch for cached scenes: forget them.
      this.pendingCache.clear();
      this.options.logger.warn({ err: error }, '[WeChat MP] could not read scan signals; retrying');
    } finally {
      this.polling = false;
    }
  }
}
