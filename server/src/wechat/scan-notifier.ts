import type { ChangeStream } from 'mongodb';
import type { Logger } from '../logger.js';
import type { ScanSignals } from './scan-signals.js';
import type { SceneDocument, SceneStore } from './scenes.js';
import type { SceneStatus } from './scene-model.js';

/** How often, without change streams, one query reads the recent scan signals. */
export const SIGNAL_POLL_INTERVAL_MS = 100;
/** Bounds the memory of the pending-scene cache (a pending scene is ~300 bytes). */
const MAX_CACHED_PENDING_SCENES = 50_000;

type SceneListener = (scene: SceneDocument) => void;

interface Subscription {
  /** The status the subscriber already knows: only a different one wakes it. */
  knownStatus: SceneStatus;
  listener: SceneListener;
  /** Signals already checked for this subscriber, so each costs it at most one read. */
  heard: Set<string>;
}

/**
 * Tells waiting browsers (SSE) that their scene changed (scanned, confirmed
 * or denied on the phone), in whichever instance the change landed. The database is the meeting point: a change
 * stream where the server has them, else one poll of the scan signals per
 * process, however many pages wait. A scan recorded in this process is
 * announced at once.
 *
 * Because it hears of every change, it also keeps recently read pending
 * scenes in memory, so get-scan-result polls for a pending scene cost no
 * database read: an entry is dropped as soon as a signal or change names it.
 */
export class ScanNotifier {
  private readonly listeners = new Map<string, Set<Subscription>>();
  private readonly pendingCache = new Map<string, SceneDocument>();
  private pollTimer: NodeJS.Timeout | null = null;
  private changeStream: ChangeStream | null = null;
  private polling = false;

  constructor(
    private readonly scenes: SceneStore,
    private readonly signals: ScanSignals,
    private readonly options: { useChangeStream: boolean; logger: Logger; now?: () => number },
  ) {}

  /**
   * Calls `listener` once, when the scene's status is no longer `knownStatus`
   * (the one the caller just read). Returns an unsubscribe function.
   */
  subscribe(sceneId: string, knownStatus: SceneStatus, listener: SceneListener): () => void {
    let set = this.listeners.get(sceneId);
    if (!set) {
      set = new Set();
      this.listeners.set(sceneId, set);
    }
    const subscription: Subscription = { knownStatus, listener, heard: new Set() };
    set.add(subscription);
    this.ensureWatching();
    return () => this.unsubscribe(sceneId, subscription);
  }

  /** Called right after a scene changed (scan, confirmation): wakes local pages, then tells the other instances. */
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

  private unsubscribe(sceneId: string, subscription: Subscription): void {
    const set = this.listeners.get(sceneId);
    if (!set) return;
    set.delete(subscription);
    if (set.size === 0) this.listeners.delete(sceneId);
  }

  /** Wakes (and drops) the subscribers of this scene that do not know its status yet. */
  private deliver(scene: SceneDocument, only?: ReadonlySet<Subscription>): void {
    const set = this.listeners.get(scene._id);
    if (!set) return;
    for (const subscription of [...set]) {
      if (subscription.knownStatus === scene.status || (only && !only.has(subscription))) continue;
      this.unsubscribe(scene._id, subscription);
      subscription.listener(scene);
    }
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
      [{ $match: { operationType: 'update', 'updateDescription.updatedFields.status': { $in: ['scanned', 'confirmed', 'denied', 'consumed'] } } }],
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
        // Each subscriber hears each recent signal once, even one written just
        // before it subscribed: a scene changed while a page connected is not missed.
        const due = new Set([...(this.listeners.get(signal.sceneId) ?? [])].filter((subscription) => !subscription.heard.has(signal.id)));
        if (due.size === 0) continue;
        for (const subscription of due) subscription.heard.add(signal.id);
        const scene = await this.scenes.find(signal.sceneId);
        if (scene) this.deliver(scene, due);
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
