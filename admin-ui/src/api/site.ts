import { DEFAULT_WECHAT_EMAIL_DOMAIN, type SiteInfo, SiteInfoSchema } from '@wechat-login/shared';
import type { ApiResult } from './api-result';
import { requestV1 } from './v1-request';

/** Used until (or if never) the server answers: the QR widget then finds out about WeChat by itself. */
export const FALLBACK_SITE_INFO: SiteInfo = {
  siteName: '',
  wechat: { enabled: true, simulatorUrl: null, webAuthorization: false },
  placeholderEmailDomain: DEFAULT_WECHAT_EMAIL_DOMAIN,
};

export function fetchSiteInfo(): Promise<ApiResult<SiteInfo>> {
  return requestV1('/pub/site', SiteInfoSchema);
}
