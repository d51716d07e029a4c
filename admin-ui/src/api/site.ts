import type { SiteInfo } from '@wechat-login/shared';
import type { ApiResult } from './api-result';
import { requestV1, type ResponseSchema } from './v1-request';

/**
 * Shared's DEFAULT_WECHAT_EMAIL_DOMAIN, restated: shared declares it beside the user schemas, and a bundle
 * cannot take one constant from a module without the rest, so importing it would bring those schemas, and
 * zod, into the sign-in page's first download. site.test.ts checks that the two agree.
 */
export const DEFAULT_PLACEHOLDER_EMAIL_DOMAIN = 'wechat.placeholder';

/** Used until (or if never) the server answers: the QR widget then finds out about WeChat by itself. */
export const FALLBACK_SITE_INFO: SiteInfo = {
  siteName: '',
  wechat: { enabled: true, simulatorUrl: null, webAuthorization: false },
  placeholderEmailDomain: DEFAULT_PLACEHOLDER_EMAIL_DOMAIN,
};

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSiteInfo(value: unknown): SiteInfo | null {
  if (!isObject(value) || !isObject(value.wechat)) return null;
  const { siteName, placeholderEmailDomain } = value;
  const { enabled, simulatorUrl, webAuthorization } = value.wechat;
  if (typeof siteName !== 'string' || typeof placeholderEmailDomain !== 'string') return null;
  if (typeof enabled !== 'boolean' || typeof webAuthorization !== 'boolean') return null;
  if (simulatorUrl !== null && typeof simulatorUrl !== 'string') return null;
  // A new object of the known fields only, as zod's object schema answers.
  return { siteName, wechat: { enabled, simulatorUrl, webAuthorization }, placeholderEmailDomain };
}

/**
 * The shared SiteInfoSchema's check, written out: this is the first call of the sign-in page, and zod's
 * parser would otherwise be a fifth of that page's download. site.test.ts holds the two to the same answers.
 */
export const SITE_INFO_CHECK: ResponseSchema<SiteInfo> = {
  safeParse(value) {
    const info = readSiteInfo(value);
    return info ? { success: true, data: info } : { success: false };
  },
};

export function fetchSiteInfo(): Promise<ApiResult<SiteInfo>> {
  return requestV1('/pub/site', SITE_INFO_CHECK);
}
