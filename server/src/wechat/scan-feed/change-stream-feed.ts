import type { ChangeStream } from 'mongodb';
import type { Logger } from '../../logger.js';
import { CHANGED_STATUSES } from '../scenes/scene.js';
import type { SceneStore } from '../scenes/scene-store.js';
import type { SceneChangeFeed, SceneChangeHandler } from './feed.js';

/**
 * The feed for databases with change streams (a replica set): MongoDB tells every instance of every
 * status change, with the scene, so nothing is written to announce one. When the stream fails the
 * feed hands over to `fallback` (the signals poll) for good.
 */
export class ChangeStreamFeed implements SceneChangeFeed {
  private stream: ChangeStream | null = null;
  private failed = false;

  constructor(
    private readonly scenes: SceneStore,
    private readonly handler: SceneChangeHandler,
    private readonly logger: Logger,
    private readonly fallback: SceneChangeFeed,
  ) {}

  watch(): void {
    if (this.failed) this.fallback.watch();
    else if (!this.stream) this.start();
  }

  async announce(sceneId: string): Promise<void> {
    if (this.failed) await this.fallback.announce(sceneId);
  }

  async close(): Promise<void> {
    await this.fallback.close();
    await this.stream?.close().catch(() => undefined);
    this.stream = null;
  }

  private start(): void {
    const stream = this.scenes.collection.watch(
      [{ $match: { operationType: 'update', 'updateDescription.updatedFields.status': { $in: CHANGED_STATUSES } } }],
      { fullDocument: 'updateLookup' },
    );
    stream.on('change', (change) => {
      if (!('fullDocument' in change) || !change.fullDocument) return;
      this.handler.sceneChanged(change.fullDocument);
    });
    stream.on('error', (error) => {
      this.logger.warn({ err: error }, '[WeChat MP] scene change stream failed; falling back to polling');
      this.handler.lostTrack();
      this.stream = null;
      this.failed = true;
      this.fallback.watch();
    });
    this.stream = stream;
  }
}
