import type { SceneDocument } from '../scenes/scene.js';
import type { SceneStatus } from '../scenes/scene.js';

export type SceneListener = (scene: SceneDocument) => void;

export interface Subscription {
  /** The status the subscriber already knows: only a different one wakes it. */
  readonly knownStatus: SceneStatus;
  readonly listener: SceneListener;
  /** Signals already checked for this subscriber, so each costs it at most one read. */
  readonly heard: Set<string>;
}

/** The pages of this process waiting for their scene to change, each woken once and then dropped. */
export class SceneSubscriptions {
  private readonly byScene = new Map<string, Set<Subscription>>();

  /** Adds a subscriber; returns the function that removes it. */
  add(sceneId: string, knownStatus: SceneStatus, listener: SceneListener): () => void {
    let set = this.byScene.get(sceneId);
    if (!set) {
      set = new Set();
      this.byScene.set(sceneId, set);
    }
    const subscription: Subscription = { knownStatus, listener, heard: new Set() };
    set.add(subscription);
    return () => this.remove(sceneId, subscription);
  }

  /** Wakes (and drops) the subscribers of this scene that do not know its status yet, only those in `only` when given. */
  deliver(scene: SceneDocument, only?: ReadonlySet<Subscription>): void {
    const set = this.byScene.get(scene._id);
    if (!set) return;
    for (const subscription of [...set]) {
      if (subscription.knownStatus === scene.status || (only && !only.has(subscription))) continue;
      this.remove(scene._id, subscription);
      subscription.listener(scene);
    }
  }

  /**
   * The subscribers of the scene that have not heard this signal yet, marked now as having heard it.
   * A signal written just before a page subscribed is still heard by it: a scene changed while the
   * page connected is not missed.
   */
  takeUnheard(sceneId: string, signalId: string): ReadonlySet<Subscription> {
    const due = new Set([...(this.byScene.get(sceneId) ?? [])].filter((subscription) => !subscription.heard.has(signalId)));
    for (const subscription of due) subscription.heard.add(signalId);
    return due;
  }

  get count(): number {
    let count = 0;
    for (const set of this.byScene.values()) count += set.size;
    return count;
  }

  get isEmpty(): boolean {
    return this.byScene.size === 0;
  }

  clear(): void {
    this.byScene.clear();
  }

  private remove(sceneId: string, subscription: Subscription): void {
    const set = this.byScene.get(sceneId);
    if (!set) return;
    set.delete(subscription);
    if (set.size === 0) this.byScene.delete(sceneId);
  }
}
