import type { SceneDocument } from '../scenes/scene.js';
import type { SceneStore } from '../scenes/scene-store.js';
import type { SceneStatus } from '../scenes/scene.js';
import type { ScanSignal, SceneChangeFeed, SceneChangeFeedFactory } from './feed.js';
import { PendingSceneCache } from './pending-scenes.js';
import { SceneSubscriptions, type SceneListener } from './subscriptions.js';

/**
 * Tells waiting browsers (SSE) that their scene changed (scanned, confirmed or denied on the phone),
 * in whichever instance the change landed: a change recorded in this process is announced at once,
 * others arrive through the feed. Because it hears of every change, it also keeps recently read
 * pending scenes in memory (see PendingSceneCache).
 */
export class ScanNotifier {
  private readonly subscriptions = new SceneSubscriptions();
  private readonly pending: PendingSceneCache;
  private readonly feed: SceneChangeFeed;

  constructor(
    private readonly scenes: SceneStore,
    feed: SceneChangeFeedFactory,
    options: { now?: () => number } = {},
  ) {
    this.pending = new PendingSceneCache(options.now);
    this.feed = feed({
      sceneChanged: (scene) => this.sceneChanged(scene),
      sceneSignalled: (signal) => this.sceneSignalled(signal),
      lostTrack: () => this.pending.clear(),
      isIdle: () => this.subscriptions.isEmpty && this.pending.size === 0,
    });
  }

  /**
   * Calls `listener` once, when the scene's status is no longer `knownStatus`
   * (the one the caller just read). Returns an unsubscribe function.
   */
  subscribe(sceneId: string, knownStatus: SceneStatus, listener: SceneListener): () => void {
    const unsubscribe = this.subscriptions.add(sceneId, knownStatus, listener);
    this.feed.watch();
    return unsubscribe;
  }

  /** Called right after a scene changed (scan, confirmation): wakes local pages, then tells the other instances. */
  async publish(scene: SceneDocument): Promise<void> {
    this.sceneChanged(scene);
    await this.feed.announce(scene._id);
  }

  /** A pending scene read recently, still pending as far as any instance has said. */
  cachedPending(sceneId: string): SceneDocument | undefined {
    return this.pending.get(sceneId);
  }

  rememberPending(scene: SceneDocument): void {
    if (this.pending.remember(scene)) this.feed.watch();
  }

  get waitingCount(): number {
    return this.subscriptions.count;
  }

  async close(): Promise<void> {
    await this.feed.close();
    this.subscriptions.clear();
    this.pending.clear();
  }

  private sceneChanged(scene: SceneDocument): void {
    this.pending.forget(scene._id);
    this.subscriptions.deliver(scene);
  }

  /** Costs a database read only when some page here has not heard this signal yet. */
  private async sceneSignalled(signal: ScanSignal): Promise<void> {
    this.pending.forget(signal.sceneId);
    const due = this.subscriptions.takeUnheard(signal.sceneId, signal.id);
    if (due.size === 0) return;
    const scene = await this.scenes.find(signal.sceneId);
    if (scene) this.subscriptions.deliver(scene, due);
  }
}
