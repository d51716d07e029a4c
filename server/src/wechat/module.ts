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
import { WebhookDedupeStore } from './webhook/dedupe.js';
import { SignedQueryLedger } from './webhook/signed-query-ledger.js';
import { WebhookHandler } from './webhook/webhook-handler.js';
import type { AccessTokenGrant } from './api/token-provider.js';
import { ConfirmationLinks } from './confirmation/confirmation-link.js';
import { OpenerProofs } from './confirmation/opener-proof.js';
import type { ConfirmationLanguage } from './confirmation/texts.js';
import { OAuthStateStore } from './oauth/oauth-states.js';
import { WebAuthorizationClient } from './oauth/web-authorization-client.js';
import { createWebAuthorization, type WebAuthorization } from './oauth/web-authorization.js';
import { createWechatTransport } from './api/transport.js';

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
  /** Where WeChat's web authorization page lives (WECHAT_MP_OAUTH_BASE): open.weixin.qq.com, or the simulator. */
  oauthAuthorizeBase: string;
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
  /** What the rest of the product may want to know of (the audit trail, metrics), wired once by the runtime. */
  events?: WechatModuleEvents;
}

/** Things that happen inside the WeChat module that it does not act on itself. */
export interface WechatModuleEvents {
  /** A WeChat REST call that finally failed: its path and codes (never its URL: it carries the token). */
  apiCallFailed?(failure: WechatCallFailure): void;
  /** A new access token was fetched (by this instance, for all of them). */
  tokenRefreshed?(grant: Pick<AccessTokenGrant, 'expiresInSeconds'>): void;
}

export interface WechatModule {
  api: WechatApiClient;
  scenes: SceneStore;
  notifier: ScanNotifier;
  webhook: WebhookHandler;
  confirmationLinks: ConfirmationLinks;
  /** What proves a browser opened a confirmation link as the WeChat user who scanned. */
  openerProofs: OpenerProofs;
  webAuthorization: WebAuthorization;
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
    onCallFailed: (failure: WechatCallFailure) => options.events?.apiCallFailed?.(failure),
  };
  // The client needs the token store and the store fetches through the client's transport.
  let api: WechatApiClient;
  const fetchAndRecordToken = async () => {
    const grant = await api.fetchAccessToken();
    options.events?.tokenRefreshed?.({ expiresInSeconds: grant.expiresInSeconds });
    return grant;
  };
  const tokens = new MongoAccessTokenStore(database.db, claims, options.appId, fetchAndRecordToken, logger);
  api = createWechatApiClient({ ...transport, tokenProvider: tokens, showQrcodeBase: options.showQrcodeBase });
  const oauthStates = new OAuthStateStore(database.db, claims);
  const webAuthorization = createWebAuthorization({
    authorizeBase: options.oauthAuthorizeBase,
    appId: options.appId,
    states: oauthStates,
    client: new WebAuthorizationClient(createWechatTransport(transport), { appId: options.appId, appSecret: options.appSecret }),
  });
  const cipher = options.encodingAESKey ? createMessageCipher({ token: options.token, encodingAESKey: options.encodingAESKey, appId: options.appId }) : null;

  const webhook = new WebhookHandler({
    api,
    scenes,
    notifier,
    dedupe,
    logger,
    reply: { siteName: options.siteName, language: options.replyLanguage, intro: options.replyTexts },
    confirmationLinks: options.requirePhoneConfirmation ? confirmationLinks : null,
    token: options.token,
    cipher,
    replayWindowSeconds: options.replayWindowSeconds,
    signedQueries,
  });

  const sweeper = setInterval(() => {
    void Promise.all([scenes.sweepExpired(), dedupe.sweepExpired(), claims.sweepExpired(), signals.sweepExpired(), signedQueries.sweepExpired(), oauthStates.sweepExpired()]).catch((error: unknown) =>
      logger.warn({ err: error }, '[WeChat MP] sweep of expired scenes failed; will retry'),
    );
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  return {
    api,
    scenes,
    notifier,
    webhook,
    confirmationLinks,
    openerProofs: new OpenerProofs(options.serverSecret),
    webAuthorization,
    sceneTtlSeconds: options.sceneTtlSeconds,
    close: async () => {
      clearInterval(sweeper);
      await notifier.close();
    },
  };
}
