import type { Router } from 'express';
import type { Database } from '../db/connection.js';
import type { Logger } from '../logger.js';
import { createWechatApiClient, type WechatApiClient } from './api/client.js';
import type { WechatCallFailure } from './api/transport.js';
import { createMessageCipher } from './crypto.js';
import { OnceClaims } from '../db/claims.js';
import { databaseSceneChangeFeed } from './scan-feed/database-feed.js';
import { ScanNotifier } from './scan-feed/scan-notifier.js';
import { ScanSignals } from './scan-feed/scan-signals.js';
import { SceneStore } from './scenes/scene-store.js';
import { MongoAccessTokenStore } from './api/token-store.js';
import { WebhookDedupeStore } from './webhook-dedupe.js';
import { SignedQueryLedger } from './signed-query-ledger.js';
import { webhookRouter } from './webhook.js';
import type { CountingAuditRecorder } from '../audit/types.js';
import { ConfirmationLinks } from './confirmation/confirmation-link.js';
import type { ConfirmationLanguage } from './confirmation/texts.js';

/** How often expired scenes and dedupe records are deleted where no TTL index does it. */
const SWEEP_INTERVAL_MS = 60_000;

export interface WechatModuleOptions {
  database: Database;
  logger: Logger;
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey: string | undefined;
  apiBase: string;
  /** Where QR images are served: WeChat's showqrcode, or the simulator's. */
  showQrcodeBase?: string;
  replayWindowSeconds: number;
  sceneTtlSeconds: number;
  siteName: string;
  replyTexts: { login: string | undefined; bind: string | undefined };
  replyLanguage: ConfirmationLanguage;
  /** Each scan waits for a confirmation on the phone (the QR-jacking defence). */
  requirePhoneConfirmation: boolean;
  /** Keys the confirmation links. */
  serverSecret: string;
  /** Where phones reach this server (BETTER_AUTH_URL): the confirmation links point there. */
  publicBaseUrl: string;
  apiTimeoutMs?: number;
  /** QR codes, scans, confirmations, refused pushes, WeChat API failures and token refreshes go here. */
  audit?: CountingAuditRecorder;
}

export interface WechatModule {
  api: WechatApiClient;
  scenes: SceneStore;
  notifier: ScanNotifier;
  webhook: Router;
  audit: CountingAuditRecorder | undefined;
  confirmationLinks: ConfirmationLinks;
  sceneTtlSeconds: number;
  close(): Promise<void>;
}

/** Everything the WeChat login needs, built once per process and shared by routes and the plugin. */
export function createWechatModule(options: WechatModuleOptions): WechatModule {
  const { database, logger } = options;
  const claims = new OnceClaims(database.db);
  const scenes = new SceneStore(database.db, claims, { requireConfirmation: options.requirePhoneConfirmation });
  const confirmationLinks = new ConfirmationLinks(options.serverSecret, options.publicBaseUrl);
  const dedupe = new WebhookDedupeStore(database.db);
  const signedQueries = new SignedQueryLedger(database.db, { replayWindowSeconds: options.replayWindowSeconds });
  const signals = new ScanSignals(database.db);
  const notifier = new ScanNotifier(scenes, databaseSceneChangeFeed({ scenes, signals, useChangeStream: database.capabilities.changeStreams, logger }));
  const transport = {
    apiBase: options.apiBase,
    appId: options.appId,
    appSecret: options.appSecret,
    timeoutMs: options.apiTimeoutMs,
    logger,
    // Each WeChat call that finally failed goes to the audit trail: path and codes only (the URL holds the token).
    onCallFailed: ({ api, code, errcode }: WechatCallFailure) => options.audit?.record({ type: 'wechat-api.error', outcome: 'failure', details: { api, code, errcode } }),
  };
  // The client needs the token store and the store fetches through the client's transport.
  let api: WechatApiClient;
  const fetchAndRecordToken = async () => {
    const grant = await api.fetchAccessToken();
    options.audit?.record({ type: 'wechat-api.token-refreshed', outcome: 'success', details: { expiresInSeconds: grant.expiresInSeconds } });
    return grant;
  };
  const tokens = new MongoAccessTokenStore(database.db, claims, options.appId, fetchAndRecordToken, logger);
  api = createWechatApiClient({ ...transport, tokenProvider: tokens, showQrcodeBase: options.showQrcodeBase });
  const cipher = options.encodingAESKey ? createMessageCipher({ token: options.token, encodingAESKey: options.encodingAESKey, appId: options.appId }) : null;

  const webhook = webhookRouter({
    api,
    scenes,
    notifier,
    dedupe,
    logger,
    reply: { siteName: options.siteName, language: options.replyLanguage, intro: options.replyTexts },
    confirmationLinks: options.requirePhoneConfirmation ? confirmationLinks : null,
    token: options.token,
    cipher,
    db: database.db,
    audit: options.audit,
    replayWindowSeconds: options.replayWindowSeconds,
    signedQueries,
  });

  const sweeper = setInterval(() => {
    void Promise.all([scenes.sweepExpired(), dedupe.sweepExpired(), claims.sweepExpired(), signals.sweepExpired(), signedQueries.sweepExpired()]).catch((error: unknown) =>
      logger.warn({ err: error }, '[WeChat MP] sweep of expired scenes failed; will retry'),
    );
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  return {
    api,
    scenes,
    notifier,
    webhook,
    audit: options.audit,
    confirmationLinks,
    sceneTtlSeconds: options.sceneTtlSeconds,
    close: async () => {
      clearInterval(sweeper);
      await notifier.close();
    },
  };
}
