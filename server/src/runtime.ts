import type { Express } from 'express';
import type { AuthContext } from '@better-auth/core';
import { createApp } from './app.js';
import { ensureAdminUser } from './auth/admin-bootstrap.js';
import { developmentAdmin } from './auth/dev-admin.js';
import { createAuth, type Auth } from './auth/create-auth.js';
import { resolveAuthSecret } from './config/auth-secret.js';
import type { Config } from './config/config.js';
import { connectDatabase, type Database } from './db/connection.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded/index.js';
import { authIndexes, ensureIndexes } from './db/indexes.js';
import { reportDuplicateAccounts } from './db/account-duplicates.js';
import type { Logger } from './logger.js';
import { adminUiDistDir, cacheDir } from './paths.js';
import { createDevSimulator, shouldUseDevSimulator, SIMULATOR_MOUNT_PATH, type DevSimulator } from './simulator/dev-mount.js';
import { wechatIndexes } from './wechat/indexes.js';
import { createRateLimiter } from './rate-limit/middleware.js';
import { MongoRateLimitStore } from './rate-limit/store.js';
import { rateLimitIndexes } from './rate-limit/indexes.js';
import { createWechatModule, type WechatModule } from './wechat/module.js';
import { profileIndexes } from './profile/indexes.js';
import { AuditLog } from './audit/audit-log.js';
import { auditIndexes } from './audit/indexes.js';
import { oidcTokenIndexes, sweepOidcTokens } from './auth/oidc/token-sweep.js';
import { LastSignInStore } from './auth/last-sign-in-store.js';
import { backfillLastSignIns } from './auth/last-sign-in-backfill.js';

export interface Runtime {
  app: Express;
  auth: Auth;
  database: Database;
  /** Undefined in production without WeChat credentials: only password sign-in then. */
  wechat: WechatModule | undefined;
  /** The audit trail; `record` is buffered, so tests `flush()` before reading. */
  audit: AuditLog;
  /** Closes the database connection and stops an embedded database. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Serve the built admin UI (production start); off for tests. */
  serveSpa?: boolean;
  /** Database name override, so tests get a fresh database each. */
  dbName?: string;
}

/** Everything `main.ts` and the tests need: database, auth, admin, app. */
export async function createRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const embedded = config.mongodbUri ? undefined : await startEmbedded(config, logger);
  const uri = config.mongodbUri ?? embedded!.uri;
  let database: Database;
  try {
    database = await connectDatabase(uri, { dbName: options.dbName });
  } catch (error) {
    await embedded?.stop();
    throw new Error(`could not connect to MongoDB${config.mongodbUri ? ' at MONGODB_URI' : ''}: ${(error as Error).message}`, { cause: error });
  }
  const { capabilities } = database;
  logger.info(
    { engine: capabilities.engine, version: capabilities.version, db: database.db.databaseName, transactions: capabilities.transactions, changeStreams: capabilities.changeStreams },
    `[API] database ready: ${capabilities.version}, database "${database.db.databaseName}"${capabilities.transactions ? '' : ' (no transactions)'}`,
  );
  const refusedIndexes = await ensureIndexes(database.db, [...authIndexes(capabilities), ...wechatIndexes(capabilities), ...rateLimitIndexes(capabilities), ...profileIndexes(), ...auditIndexes(capabilities), ...oidcTokenIndexes(capabilities)], logger);
  // Reported, never merged: a deployment from before the unique account indexes may hold duplicates.
  await reportDuplicateAccounts(database.db, refusedIndexes, logger);
  const audit = new AuditLog(database.db, { logger, retentionDays: config.auditRetentionDays });
  const auditSweep = setInterval(() => void audit.sweepExpired().catch(() => undefined), 60 * 60_000);
  auditSweep.unref();
  // Expired OIDC tokens and spent once-only claims: no TTL index does it on FerretDB.
  const oidcSweep = setInterval(() => void sweepOidcTokens(database.db).catch(() => undefined), 60 * 60_000);
  oidcSweep.unref();
  const secret = await resolveAuthSecret(config.auth.secret, config.dataDir);
  const simulator = shouldUseDevSimulator(config) ? createDevSimulator(config, logger) : undefined;
  const wechat = createWechat(config, database, logger, simulator, secret, audit);
  const lastSignIns = new LastSignInStore(database.db, logger, capabilities);
  // Once per database, in the background: start-up does not wait for the audit trail to be read.
  const backfillStop = new AbortController();
  const backfill = backfillLastSignIns(database.db, lastSignIns, logger, backfillStop.signal).catch((error: unknown) => {
    logger.error({ err: { message: (error as Error).message } }, '[API] last sign-in: could not fill in from the audit trail; it is tried again at the next start');
  });

  const rateLimitStore = new MongoRateLimitStore(database.db);
  const rateLimitSweep = setInterval(() => void rateLimitStore.sweepExpired().catch(() => undefined), 60_000);
  rateLimitSweep.unref();
  const rateLimiter = createRateLimiter({ store: rateLimitStore, enabled: config.rateLimitEnabled, logger });
  const auth = createAuth({
    db: database.db,
    client: database.client,
    capabilities,
    secret,
    baseUrl: config.auth.baseUrl,
    trustedOrigins: config.auth.trustedOrigins,
    logger,
    audit,
    lastSignIns,
    wechat: wechat && {
      scenes: wechat.scenes,
      emailDomainName: config.wechat.emailDomainName,
      requirePhoneConfirmation: config.wechat.requirePhoneConfirmation,
      webAuthorization: wechat.webAuthorization,
      oauthScope: config.wechat.oauth.scope,
    },
    avatars: { maxBytes: config.avatarMaxBytes, extraImageOrigins: simulatedImageOrigins(config, simulator) },
    oidc: { dynamicRegistration: config.oidcDynamicRegistration },
    rateLimiter,
  });
  const admin = config.admin ?? (config.nodeEnv === 'development' ? await developmentAdmin(config.dataDir) : undefined);
  if (admin) {
    const outcome = await ensureAdminUser(auth, admin, logger);
    if (!config.admin && outcome === 'created') {
      logger.warn(`[API] DEVELOPMENT MODE: created admin "${admin.username}" with password "${admin.password}" (kept in ${config.dataDir}/admin-password). Set ADMIN_USERNAME/ADMIN_PASSWORD to choose your own.`);
    } else if (!config.admin) {
      logger.info(`[API] development admin "${admin.username}": password in ${config.dataDir}/admin-password`);
    }
  }

  const app = createApp({
    rateLimiter,
    auth,
    // The same object endpoints see as `ctx.context`; typed with the generic options they use.
    authContext: (await auth.$context) as unknown as AuthContext,
    audit,
    lastSignIns,
    db: database.db,
    logger,
    trustProxy: config.trustProxy,
    trustedOrigins: config.auth.trustedOrigins,
    https: config.auth.baseUrl.startsWith('https://'),
    spaDistDir: options.serveSpa ? adminUiDistDir : undefined,
    wechat,
    simulator: simulator && { mountPath: SIMULATOR_MOUNT_PATH, router: simulator.router },
    webAuthorization: { verifyConfirmationOpener: config.wechat.oauth.verifyConfirmationOpener, verifyFile: config.wechat.oauth.verifyFile },
    profile: { avatarMaxBytes: config.avatarMaxBytes, publicBaseUrl: config.auth.baseUrl },
    site: {
      siteName: config.siteName,
      wechat: { enabled: wechat !== undefined, simulatorUrl: simulator ? `${SIMULATOR_MOUNT_PATH}/` : null, webAuthorization: wechat !== undefined },
      placeholderEmailDomain: config.wechat.emailDomainName,
    },
  });

  return {
    app,
    auth,
    database,
    wechat,
    audit,
    close: async () => {
      clearInterval(rateLimitSweep);
      clearInterval(auditSweep);
      clearInterval(oidcSweep);
      await wechat?.close();
      // After the WeChat module, whose last events it still takes; before the database goes.
      await audit.close();
      backfillStop.abort();
      await backfill;
      await lastSignIns.settled();
      await database.close();
      await embedded?.stop();
    },
  };
}

async function startEmbedded(config: Config, logger: Logger): Promise<EmbeddedDatabase> {
  if (config.isProduction) {
    throw new Error('MONGODB_URI is required when NODE_ENV=production (the embedded database is for development and tests)');
  }
  const embedded = await startEmbeddedDatabase({
    dataPath: `${config.dataDir}/db`,
    cacheDir,
    log: (message) => logger.info(`[API] embedded database: ${message}`),
  });
  logger.info({ kind: embedded.kind, dataPath: embedded.dataPath, uri: embedded.uri }, `[API] MONGODB_URI is unset: using an embedded ${embedded.kind} with data in ${embedded.dataPath}`);
  return embedded;
}

function createWechat(config: Config, database: Database, logger: Logger, simulator: DevSimulator | undefined, serverSecret: string, audit: AuditLog): WechatModule | undefined {
  const credentials = config.wechat.credentials ?? simulator?.credentials;
  if (!credentials) {
    logger.warn('[WeChat MP] WECHAT_MP_APPID is unset in production: WeChat sign-in is off, password sign-in still works');
    return undefined;
  }
  // Said once, at start, where an operator reads it; the README's configuration section says the same.
  if (config.isProduction && !credentials.encodingAESKey) {
    logger.warn(
      '[WeChat MP] WECHAT_MP_ENCODING_AES_KEY is unset: WeChat pushes arrive in plain mode, where the signature covers only the Token, timestamp and nonce, never the message. ' +
        'Each signed query is accepted with one message only, but whoever sees a push on its way (a proxy in between, a log of it) reads its openid and can put a message of their own under its signature before the real one arrives. ' +
        'Safe mode is recommended: set WECHAT_MP_ENCODING_AES_KEY to the EncodingAESKey and choose safe mode (安全模式) in the WeChat admin, so every message is signed and encrypted.',
    );
  }
  return createWechatModule({
    database,
    logger,
    ...credentials,
    apiBase: simulator?.apiBase ?? config.wechat.apiBase,
    oauthAuthorizeBase: simulator?.oauthAuthorizeBase ?? config.wechat.oauth.authorizeBase,
    showQrcodeBase: simulator?.showQrcodeBase,
    replayWindowSeconds: config.wechat.replayWindowSeconds,
    sceneTtlSeconds: config.wechat.qrcodeExpireSeconds,
    siteName: config.siteName,
    replyTexts: config.wechat.replyTexts,
    replyLanguage: config.wechat.replyLanguage,
    requirePhoneConfirmation: config.wechat.requirePhoneConfirmation,
    serverSecret,
    publicBaseUrl: config.auth.baseUrl,
    // The audit trail hears of WeChat API failures and token refreshes; the module knows nothing of it.
    events: {
      apiCallFailed: ({ api, code, errcode }) => audit.record({ type: 'wechat-api.error', outcome: 'failure', details: { api, code, errcode } }),
      tokenRefreshed: ({ expiresInSeconds }) => audit.record({ type: 'wechat-api.token-refreshed', outcome: 'success', details: { expiresInSeconds } }),
    },
  });
}

/**
 * WeChat's headimgurls live on its image hosts. Where WeChat is stood in for (the development
 * simulator, or a test's through WECHAT_MP_API_BASE / WECHAT_MP_OAUTH_BASE), that stand-in serves them.
 */
function simulatedImageOrigins(config: Config, simulator: DevSimulator | undefined): string[] {
  if (simulator) return [new URL(simulator.oauthAuthorizeBase).origin];
  const realWechat = ['https://api.weixin.qq.com', 'https://open.weixin.qq.com'];
  return [config.wechat.apiBase, config.wechat.oauth.authorizeBase].map((base) => new URL(base).origin).filter((origin) => !realWechat.includes(origin));
}
