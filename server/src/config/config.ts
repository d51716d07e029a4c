import { resolve } from 'node:path';
import { envSchema, type Env } from './env-schema.js';
import type { TrustProxySetting } from './trust-proxy.js';
import { defaultDataDir, repoRoot } from '../paths.js';

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly expectation: string,
  ) {
    super(`Invalid configuration: ${variable} ${expectation}`);
  }
}

/** Where `npm run dev` serves the admin UI (Vite's default port). */
export const VITE_DEV_ORIGIN = 'http://localhost:5173';

export interface WechatCredentials {
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey: string | undefined;
}

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  /** Express `trust proxy`; never `true`, which would let clients choose their IP. */
  trustProxy: TrustProxySetting;
  dataDir: string;
  mongodbUri: string | undefined;
  auth: {
    /** Undefined outside production until `resolveAuthSecret` fills it in from `.data/`. */
    secret: string | undefined;
    baseUrl: string;
    trustedOrigins: string[];
  };
  /** Per-IP limits on the QR routes and sign-in endpoints; on except under NODE_ENV=test. */
  rateLimitEnabled: boolean;
  /** The OIDC provider: when true, anyone may register a client at the discovery document's registration_endpoint (RFC 7591). */
  oidcDynamicRegistration: boolean;
  /** Days audit events are kept before the TTL index or the sweep deletes them. */
  auditRetentionDays: number;
  /** The largest avatar upload accepted, in bytes (413 AVATAR_TOO_LARGE above it). */
  avatarMaxBytes: number;
  admin: { username: string; password: string; email: string } | undefined;
  siteName: string;
  wechat: {
    /** Undefined when no Official Account is configured: development uses the simulator. */
    credentials: WechatCredentials | undefined;
    apiBase: string;
    replayWindowSeconds: number;
    qrcodeExpireSeconds: number;
    /** The operator's own first line for the chat replies; unset uses the built-in text in `replyLanguage`. */
    replyTexts: { login: string | undefined; bind: string | undefined };
    replyLanguage: 'zh-CN' | 'en';
    /** The QR-jacking defence: a scan only counts once confirmed on the phone. */
    requirePhoneConfirmation: boolean;
    emailDomainName: string;
    /** Web authorization (网页授权) inside WeChat's browser. */
    oauth: {
      /** Where WeChat's authorization page lives: open.weixin.qq.com, or the simulator. */
      authorizeBase: string;
      scope: 'base' | 'userinfo' | 'auto';
      /** The domain-check file WeChat asks for before it accepts the authorization domain. */
      verifyFile: { name: string; content: string } | undefined;
      /** The confirmation link answers only for the WeChat user who scanned (checked by snsapi_base). */
      verifyConfirmationOpener: boolean;
    };
  };
}

/**
 * Parses and validates the environment once. Throws `ConfigError` naming the
 * first bad variable; `main.ts` prints that one line and exits.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), describeIssue(issue.message));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction && !e.BETTER_AUTH_SECRET) {
    throw new ConfigError('BETTER_AUTH_SECRET', 'is required when NODE_ENV=production (generate one with: openssl rand -base64 32)');
  }
  const baseUrl = e.BETTER_AUTH_URL ?? `http://localhost:${e.PORT}`;
  if (isProduction && !e.BETTER_AUTH_URL) {
    throw new ConfigError('BETTER_AUTH_URL', 'is required when NODE_ENV=production (the public URL of this server, e.g. https://login.example.com)');
  }
  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    // Relative paths are relative to the repo root, wherever npm runs the server from.
    dataDir: e.DATA_DIR ? resolve(repoRoot, e.DATA_DIR) : defaultDataDir,
    mongodbUri: e.MONGODB_URI,
    auth: {
      secret: e.BETTER_AUTH_SECRET,
      baseUrl,
      // `npm run dev` serves the UI from Vite's dev server, a second origin.
      trustedOrigins: e.NODE_ENV === 'development' ? [...new Set([...e.TRUSTED_ORIGINS, VITE_DEV_ORIGIN])] : e.TRUSTED_ORIGINS,
    },
    rateLimitEnabled: e.RATE_LIMIT_ENABLED ?? e.NODE_ENV !== 'test',
    oidcDynamicRegistration: e.OIDC_DYNAMIC_REGISTRATION ?? false,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    avatarMaxBytes: e.AVATAR_MAX_BYTES,
    admin: readAdmin(e),
    siteName: e.SITE_NAME,
    wechat: {
      credentials: readWechatCredentials(e),
      apiBase: e.WECHAT_MP_API_BASE,
      replayWindowSeconds: e.WECHAT_MP_REPLAY_WINDOW_SECONDS,
      qrcodeExpireSeconds: e.WECHAT_MP_QRCODE_EXPIRE_SECONDS,
      replyTexts: { login: e.WECHAT_MP_LOGIN_REPLY, bind: e.WECHAT_MP_BIND_REPLY },
      replyLanguage: e.WECHAT_MP_REPLY_LANG,
      requirePhoneConfirmation: e.WECHAT_MP_REQUIRE_CONFIRM ?? true,
      emailDomainName: e.WECHAT_MP_EMAIL_DOMAIN,
      oauth: {
        authorizeBase: e.WECHAT_MP_OAUTH_BASE,
        scope: e.WECHAT_MP_OAUTH_SCOPE,
        verifyFile: readVerifyFile(e.WECHAT_MP_VERIFY_FILE),
        verifyConfirmationOpener: e.WECHAT_MP_CONFIRM_VERIFY_OPENER ?? true,
      },
    },
  };
}

function describeIssue(message: string): string {
  if (/^Invalid input: expected .*, received undefined$/.test(message)) return 'is required';
  return message.startsWith('expected') ? `is invalid: ${message}` : `is invalid: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

function readAdmin(e: Env): Config['admin'] {
  if (!e.ADMIN_USERNAME && !e.ADMIN_PASSWORD) return undefined;
  if (!e.ADMIN_USERNAME) throw new ConfigError('ADMIN_USERNAME', 'is required when ADMIN_PASSWORD is set');
  if (!e.ADMIN_PASSWORD) throw new ConfigError('ADMIN_PASSWORD', 'is required when ADMIN_USERNAME is set (at least 8 characters)');
  const username = e.ADMIN_USERNAME.toLowerCase();
  return { username, password: e.ADMIN_PASSWORD, email: e.ADMIN_EMAIL ?? `${username}@admin.invalid` };
}

function readWechatCredentials(e: Env): WechatCredentials | undefined {
  const { WECHAT_MP_APPID: appId, WECHAT_MP_SECRET: appSecret, WECHAT_MP_TOKEN: token } = e;
  if (!appId && !appSecret && !token && !e.WECHAT_MP_ENCODING_AES_KEY) return undefined;
  if (!appId) throw new ConfigError('WECHAT_MP_APPID', 'is required when any WECHAT_MP_* credential is set');
  if (!appSecret) throw new ConfigError('WECHAT_MP_SECRET', 'is required when WECHAT_MP_APPID is set');
  if (!token) throw new ConfigError('WECHAT_MP_TOKEN', 'is required when WECHAT_MP_APPID is set');
  return { appId, appSecret, token, encodingAESKey: e.WECHAT_MP_ENCODING_AES_KEY };
}

/** `MP_verify_abc.txt` serves "abc", as the file WeChat hands out holds; `name:content` when it does not. */
function readVerifyFile(value: string | undefined): Config['wechat']['oauth']['verifyFile'] {
  if (!value) return undefined;
  const [name, content] = value.split(':') as [string, string | undefined];
  return { name, content: content ?? name.slice('MP_verify_'.length, -'.txt'.length) };
}
