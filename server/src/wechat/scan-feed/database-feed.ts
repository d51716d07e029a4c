import type { Logger } from '../../logger.js';
import type { SceneStore } from '../scenes/scene-store.js';
import { ChangeStreamFeed } from './change-stream-feed.js';
import type { SceneChangeFeedFactory } from './feed.js';
import type { ScanSignals } from './scan-signals.js';
import { SignalPollFeed } from './signal-poll-feed.js';

/** The feed the database offers: its change stream where it has them, else (or once that fails) the signals poll. */
export function databaseSceneChangeFeed(options: {
  scenes: SceneStore;
  signals: ScanSignals;
  useChangeStream: boolean;
  logger: Logger;
}): SceneChangeFeedFactory {
  return (handler) => {
    const poll = new SignalPollFeed(options.signals, handler, options.logger);
    return options.useChangeStream ? new ChangeStreamFeed(options.scenes, handler, options.logger, poll) : poll;
  };
}
