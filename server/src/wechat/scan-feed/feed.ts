import type { SceneDocument } from '../scenes/scene.js';

/**
 * Where this process hears that a scene changed in any instance (scanned, confirmed or denied on the
 * phone). The database is the meeting point today: its change stream, or a poll of the scan signals.
 * Another meeting point (Redis pub/sub, say) is one more implementation of SceneChangeFeed.
 */
export interface SceneChangeFeed {
  /** Starts hearing changes if it does not yet; called for every new subscriber and cached scene. */
  watch(): void;
  /** Tells the other instances that this process changed a scene (nothing to do where the database tells them). */
  announce(sceneId: string): Promise<void>;
  close(): Promise<void>;
}

/** "Scene X changed", without its new state. `id` is unique per change: the same signal again keeps its id. */
export interface ScanSignal {
  id: string;
  sceneId: string;
}

/** What a feed reports to: the scan notifier of this process. */
export interface SceneChangeHandler {
  /** A scene changed, and this is its new state. */
  sceneChanged(scene: SceneDocument): void;
  /**
   * A scene changed, state unknown. A feed may hand over one signal many times (same id): each waiting
   * page still hears it once. Rejects when the scene cannot be read.
   */
  sceneSignalled(signal: ScanSignal): Promise<void>;
  /** The feed may have missed changes: no cached scene can be vouched for any more. */
  lostTrack(): void;
  /** Nobody in this process waits and nothing is cached: a polling feed may rest until the next watch(). */
  isIdle(): boolean;
}

/** Builds the feed of one notifier, which it reports to. */
export type SceneChangeFeedFactory = (handler: SceneChangeHandler) => SceneChangeFeed;
