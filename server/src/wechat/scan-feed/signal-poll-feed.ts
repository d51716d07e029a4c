import type { Logger } from '../../logger.js';
import type { SceneChangeFeed, SceneChangeHandler } from './feed.js';
import type { ScanSignals } from './scan-signals.js';

/** How often, without change streams, one query reads the recent scan signals. */
export const SIGNAL_POLL_INTERVAL_MS = 100;

/**
 * The feed for databases without change streams (FerretDB, a standalone mongod): one read of the
 * recent scan signals per interval and process, however many pages wait. It rests while nobody
 * waits and nothing is cached.
 */
export class SignalPollFeed implements SceneChangeFeed {
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly signals: ScanSignals,
    private readonly handler: SceneChangeHandler,
    private readonly logger: Logger,
  ) {}

  watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pollOnce(), SIGNAL_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async announce(sceneId: string): Promise<void> {
    await this.signals.publish(sceneId);
  }

  async close(): Promise<void> {
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async pollOnce(): Promise<void> {
    if (this.polling) return;
    if (this.handler.isIdle()) {
      this.stop();
      return;
    }
    this.polling = true;
    try {
      // The same signals come back on every poll for a while: the handler lets each page hear each once.
      for (const signal of await this.signals.recent()) await this.handler.sceneSignalled(signal);
    } catch (error) {
      // Without the signals we cannot vouch for cached scenes.
      this.handler.lostTrack();
      this.logger.warn({ err: error }, '[WeChat MP] could not read scan signals; retrying');
    } finally {
      this.polling = false;
    }
  }
}
