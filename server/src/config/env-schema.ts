import { z } from 'zod';
import { parseTrustProxy, type TrustProxySetting } from './trust-proxy.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const port = z.coerce
  .number({ message: 'expected a port number' })
  .int('expected a whole number')
  .min(1, 'expected a port between 1 and 65535')
  .max(65535, 'expected a port between 1 and 65535');

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://login.example.com' })
  .transform((value) => value.replace(/\/+$/, ''));

const commaSeparatedOrigins = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const origins = value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
    for (const origin of origins) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
        ctx.addIssue({ code: 'custom', message: `expected comma-separated origins like https://app.example.com, got "${origin}"` });
        return z.NEVER;
      }
    }
    return origins;
  });

/** Express's `trust proxy`: false, a hop count, or names/addresses/CIDRs; never `true` (see parseTrustProxy). */
const trustProxy = z
  .string()
  .default('false')
  .transform((value, ctx): TrustProxySetting => {
    const parsed = parseTrustProxy(value);
    if (parsed.ok) return parsed.setting;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('')
  .transform((value) => (value === '' ? undefined : value === 'true' || value === '1'));

/**
 * Every environment variable the server reads. Parsed once at start-up by
 * `loadConfig`; nothing else in the server reads `process.env`.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: trustProxy,
  DATA_DIR: optionalString,

  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'expected a MongoDB connection string starting with mongodb:// or mongodb+srv://')
      .optional(),
  ),

  BETTER_AUTH_SECRET: optionalString.pipe(
    z.string().min(32, 'expected at least 32 characters (generate one with: openssl rand -base64 32)').optional(),
  ),
  BETTER_AUTH_URL: optionalString.pipe(httpUrl.optional()),
  TRUSTED_ORIGINS: commaSeparatedOrigins,
  RATE_LIMIT_ENABLED: booleanFlag,
  /** RFC 7591 dynamic client registration on the OIDC provider; off, clients are registered by admins only. */
  OIDC_DYNAMIC_REGISTRATION: booleanFlag,
  AUDIT_RETENTION_DAYS: z.coerce.number().int('expected a whole number of days').min(1, 'expected at least 1 day').max(36_500, 'expected at most 36500 days').default(180),
  AVATAR_MAX_BYTES: z.coerce
    .number({ message: 'expected a number of bytes' })
    .int('expected a whole number of bytes')
    .min(1024, 'expected at least 1024 bytes')
    .max(10 * 1024 * 1024, 'expected at most 10485760 bytes (10 MiB)')
    .default(1024 * 1024),

  ADMIN_USERNAME: optionalString.pipe(
    z
      .string()
      .regex(/^[a-zA-Z0-9_.]{3,30}$/, 'expected 3-30 letters, digits, "_" or "."')
      .optional(),
  ),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, 'expected at least 8 characters').max(128).optional()),
  ADMIN_EMAIL: optionalString.pipe(z.email('expected an email address').optional()),

  SITE_NAME: z.string().trim().min(1).max(64).default('WeChat Login'),
  WECHAT_MP_APPID: optionalString.pipe(
    z.string().regex(/^wx[0-9a-zA-Z]{16}$/, 'expected an AppID like wx1234567890abcdef').optional(),
  ),
  WECHAT_MP_SECRET: optionalString,
  WECHAT_MP_TOKEN: optionalString.pipe(
    z.string().regex(/^[a-zA-Z0-9]{3,32}$/, 'expected 3-32 letters or digits (the Token set in the Official Account settings)').optional(),
  ),
  WECHAT_MP_ENCODING_AES_KEY: optionalString.pipe(
    z.string().regex(/^[a-zA-Z0-9]{43}$/, 'expected the 43-character EncodingAESKey from the Official Account settings').optional(),
  ),
  WECHAT_MP_API_BASE: httpUrl.default('https://api.weixin.qq.com'),
  WECHAT_MP_REPLAY_WINDOW_SECONDS: z.coerce.number().int().min(0, 'expected 0 (off) or a number of seconds').default(300),
  WECHAT_MP_QRCODE_EXPIRE_SECONDS: z.coerce.number().int().min(60, 'expected at least 60 seconds').max(2_592_000, 'expected at most 2592000 seconds (30 days)').default(300),
  WECHAT_MP_LOGIN_REPLY: optionalString.pipe(z.string().max(600, 'expected at most 600 characters').optional()),
  WECHAT_MP_BIND_REPLY: optionalString.pipe(z.string().max(600, 'expected at most 600 characters').optional()),
  /** The language of the replies in the WeChat chat (the confirmation page follows the phone's language). */
  WECHAT_MP_REPLY_LANG: z.enum(['zh-CN', 'en'], { message: 'expected zh-CN or en' }).default('zh-CN'),
  /** Ask the WeChat user to confirm each scan on the phone (the QR-jacking defence); on unless "false". */
  WECHAT_MP_REQUIRE_CONFIRM: booleanFlag,
  /** WeChat's authorization page host (网页授权); the simulator and tests stand in for it. */
  WECHAT_MP_OAUTH_BASE: httpUrl.default('https://open.weixin.qq.com'),
  /** base: silent, openid only; userinfo: always ask; auto: silent, and ask once for a new or unfinished profile. */
  WECHAT_MP_OAUTH_SCOPE: z.enum(['base', 'userinfo', 'auto'], { message: 'expected base, userinfo or auto' }).default('auto'),
  /** `MP_verify_<code>.txt` (content <code>) or `MP_verify_<code>.txt:<content>`: served at the domain root for WeChat's domain check. */
  WECHAT_MP_VERIFY_FILE: optionalString.pipe(
    z
      .string()
      .regex(/^MP_verify_[A-Za-z0-9]{1,64}\.txt(:[A-Za-z0-9]{1,128})?$/, 'expected MP_verify_<code>.txt or MP_verify_<code>.txt:<content>, as downloaded from the WeChat admin')
      .optional(),
  ),
  /** Only the WeChat user who scanned may answer the confirmation link (checked by a silent web authorization); on unless "false". */
  WECHAT_MP_CONFIRM_VERIFY_OPENER: booleanFlag,
  WECHAT_MP_EMAIL_DOMAIN: z.string().trim().regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/, 'expected a domain like wechat.placeholder').default('wechat.placeholder'),
});

export type Env = z.infer<typeof envSchema>;
