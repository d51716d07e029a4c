import type { SceneDocument } from '../scenes/scene.js';

/** Bounds the memory of the cache (a pending scene is ~300 bytes). */
export const MAX_CACHED_PENDING_SCENES = 50_000;

/**
 * Pending scenes read recently, so get-scan-result polls for a pending scene cost no database read.
 * It is only as good as the feed that empties it: an entry must be forgotten as soon as any instance
 * says the scene changed, and everything when the feed may have missed something.
 */
export class PendingSceneCache {
  private readonly scenes = new Map<string, SceneDocument>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The scene, unless it has expired meanwhile (then it is forgotten). */
  get(sceneId: string): SceneDocument | undefined {
    const scene = this.scenes.get(sceneId);
    if (scene && scene.expiresAt.getTime() <= this.now()) {
      this.scenes.delete(sceneId);
      return undefined;
    }
    return scene;
  }

  /** Keeps a pending scene (dropping the oldest when full); returns false for a scene that is not pending. */
  remember(scene: SceneDocument): boolean {
    if (scene.status !== 'pending') return false;
    if (this.scenes.size >= MAX_CACHED_PENDING_SCENES) this.scenes.delete(this.scenes.keys().next().value!);
    this.scenes.set(scene._id, scene);
    return true;
  }

  forget(sceneId: string): void {
    this.scenes.delete(sceneId);
  }

  clear(): void {
    this.scenes.clear();
  }

  get size(): number {
    return this.scenes.size;
  }
}
