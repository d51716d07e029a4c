import type { ChangeStream } from 'mongodb';
import type { Logger } from '../logger.js';
import type { SceneDocument, SceneStore } from './scenes.js';

/** How often, without change streams, one query checks every scene someone is waiting on. */
export const SETTLED_POLL_INTERVAL_MS = 100;

type SceneListener = (scene: SceneDocument) => void;

/**
 * Tells waiting browsers (SSE, long polls) that their scene was scanned, in
 * whichever instance the webhook landed. The database is the meeting point:
 * a change stream where the server has them, else one short poll per process
 * covering all waiters at once. A scan recorded in this process is announced
 * immediately without waiting for either.
 */
export class ScanNotifier {
  private readonly listeners = new Map<string, Set<SceneListener>>();
  private pollTimer: NodeJS.Timeout | null = null;
  private changeStream: ChangeStream | null = null;
  private polling = false;

  constructor(
    private readonly scenes: SceneStore,
    private readonly options: { useChangeStream: boolean; logger: Logger },
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

  /** Called by the webhook in this process right after recording a scan. */
  announce(scene: SceneDocument): void {
    this.deliver(scene);
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
      this.pollTimer = setInterval(() => void this.pollOnce(), SETTLED_POLL_INTERVAL_MS);
      this.pollTimer.unref();
    }
  }

  private startChangeStream(): void {
    const stream = this.scenes.model.collection.watch(
      [{ $match: { operationType: 'update', 'updateDescription.updatedFields.status': { $in: ['scanned', 'consumed'] } } }],
      { fullDocument: 'updateLookup' },
    );
    stream.on('change', (change) => {
      if ('fullDocument' in change && change.fullDocument) this.deliver(change.fullDocument as unknown as SceneDocument);
    });
    stream.on('error', (error) => {
      this.options.logger.warn({ err: error }, '[WeChat MP] scene change stream failed; falling back to polling');
      this.changeStream = null;
      this.options.useChangeStream = false;
      this.ensureWatching();
    });
    this.changeStream = stream;
  }

  private async pollOnce(): Promise<void> {
    if (this.polling) return;
    if (this.listeners.size === 0) {
      if (this.pollTimer) clearInterval(this.pollTimer);
      this.pollTimer = null;
      return;
    }
    this.polling = true;
    try {
      for (const scene of await this.scenes.findSettled([...this.listeners.keys()])) this.deliver(scene);
    } catch (error) {
      this.options.logger.warn({ err: error }, '[WeChat MP] could not check waiting scenes; retrying');
    } finally {
      this.polling = false;
    }
  }
}
