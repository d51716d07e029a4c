import { AppError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';

/** How the account's "message encryption mode" is set on the WeChat admin console. */
export type MessageMode = 'plain' | 'compatible' | 'safe';

/** A URL, or a function that gives it when needed (a server's port is often known only later). */
export type UrlSource = string | (() => string);

export interface WechatSimulatorOptions {
  appId: string;
  appSecret: string;
  /** The webhook Token configured on the WeChat console. */
  token: string;
  /** Required for 'safe' and 'compatible' mode: 43 chars of [a-zA-Z0-9]. */
  encodingAESKey?: string;
  messageMode: MessageMode;
  /** Where pushes go: our webhook. */
  webhookUrl: UrlSource;
  /** Where the simulator's router is reachable, e.g. http://localhost:3000/__wechat-simulator. */
  publicBaseUrl: UrlSource;
  /** The account's original id, sent as ToUserName. */
  ghId?: string;
  tokenTtlSeconds?: number;
  /** Milliseconds since the epoch; tests move time forward with it. */
  now?: () => number;
  /** How many times a failed push is sent again (WeChat retries; tests usually want 0). */
  pushRetries?: number;
  /** WeChat gives up on a webhook after 5 s. */
  pushTimeoutMs?: number;
  /**
   * 网页授权域名: the hosts (with a port when not 80/443) redirect_uri may point to, e.g.
   * ['app.example.com', 'localhost:3000']. Unset: any host (WeChat itself always has a list).
   */
  oauthRedirectDomains?: readonly string[];
  logger?: Logger;
}

export interface ResolvedSimulatorOptions {
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey: string | undefined;
  messageMode: MessageMode;
  webhookUrl: () => string;
  publicBaseUrl: () => string;
  ghId: string;
  tokenTtlSeconds: number;
  now: () => number;
  pushRetries: number;
  pushTimeoutMs: number;
  /** Lower-cased; null when any host is allowed. */
  oauthRedirectDomains: readonly string[] | null;
  logger: Logger;
}

export const DEFAULT_GH_ID = 'gh_simulator00';
export const DEFAULT_TOKEN_TTL_SECONDS = 7200;
export const WECHAT_PUSH_TIMEOUT_MS = 5000;

const ENCODING_AES_KEY_PATTERN = /^[a-zA-Z0-9]{43}$/;
/** A host name or address, with an optional port: what WeChat's console takes (no scheme, no path). */
const REDIRECT_DOMAIN_PATTERN = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

function configError(message: string): AppError {
  return new AppError(500, 'WECHAT_SIMULATOR_CONFIG', `WeChat simulator: ${message}`);
}

function toUrlGetter(source: UrlSource): () => string {
  // Trailing slashes would give "//q/..." when paths are appended.
  return typeof source === 'string' ? () => source.replace(/\/+$/, '') : () => source().replace(/\/+$/, '');
}

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 0) throw configError(`${name} must be a non-negative integer`);
  return resolved;
}

function redirectDomains(domains: readonly string[] | undefined): readonly string[] | null {
  if (domains === undefined) return null;
  return domains.map((domain) => {
    const lowered = domain.toLowerCase();
    if (!REDIRECT_DOMAIN_PATTERN.test(lowered)) throw configError(`oauthRedirectDomains: '${domain}' is not a host[:port]`);
    return lowered;
  });
}

/** Checks the options once, so that a misconfigured simulator fails at creation, not mid-test. */
export function resolveSimulatorOptions(options: WechatSimulatorOptions): ResolvedSimulatorOptions {
  for (const name of ['appId', 'appSecret', 'token'] as const) {
    if (!options[name]) throw configError(`${name} is required`);
  }
  const key = options.encodingAESKey;
  if (key !== undefined && !ENCODING_AES_KEY_PATTERN.test(key)) {
    throw configError('encodingAESKey must be 43 characters of [a-zA-Z0-9]');
  }
  if (options.messageMode !== 'plain' && key === undefined) {
    throw configError(`messageMode '${options.messageMode}' needs an encodingAESKey`);
  }
  const tokenTtlSeconds = nonNegativeInteger(options.tokenTtlSeconds, DEFAULT_TOKEN_TTL_SECONDS, 'tokenTtlSeconds');
  if (tokenTtlSeconds === 0) throw configError('tokenTtlSeconds must be positive');
  return {
    appId: options.appId,
    appSecret: options.appSecret,
    token: options.token,
    encodingAESKey: key,
    messageMode: options.messageMode,
    webhookUrl: toUrlGetter(options.webhookUrl),
    publicBaseUrl: toUrlGetter(options.publicBaseUrl),
    ghId: options.ghId ?? DEFAULT_GH_ID,
    tokenTtlSeconds,
    now: options.now ?? Date.now,
    pushRetries: nonNegativeInteger(options.pushRetries, 0, 'pushRetries'),
    pushTimeoutMs: nonNegativeInteger(options.pushTimeoutMs, WECHAT_PUSH_TIMEOUT_MS, 'pushTimeoutMs'),
    oauthRedirectDomains: redirectDomains(options.oauthRedirectDomains),
    logger: options.logger ?? silentLogger,
  };
}
