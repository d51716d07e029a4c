import { useRoute, useRouter } from 'vue-router';
import { errorMessageKeyFor } from '@/api/api-error';
import type { ErrorMessageKey } from '@/i18n';

/** The query parameters web authorization comes back with; anyone can put them in a link. */
const RETURN_PARAMS = ['error', 'wechat'] as const;

export interface WebAuthorizationReturn {
  /** `error=CODE`: the message key of a code we translate, the generic one for any other value. */
  errorKey: ErrorMessageKey | null;
  /** `wechat=bound`: a bind by web authorization succeeded. */
  bound: boolean;
}

/**
 * What a round trip through WeChat's authorization page brought back to this page: read once, then
 * dropped from the address (one replace, the rest of the query kept) so that a reload or a shared link
 * does not say it again. The code itself is never shown: only a message we wrote.
 */
export function useWebAuthorizationReturn(): WebAuthorizationReturn {
  const route = useRoute();
  const router = useRouter();
  const { error, wechat } = route.query;
  const returned: WebAuthorizationReturn = {
    errorKey: error === undefined ? null : errorMessageKeyFor({ code: typeof error === 'string' ? error : undefined }),
    bound: wechat === 'bound',
  };
  if (RETURN_PARAMS.some((param) => param in route.query)) {
    const query = Object.fromEntries(Object.entries(route.query).filter(([param]) => !(RETURN_PARAMS as readonly string[]).includes(param)));
    void router.replace({ query, hash: route.hash });
  }
  return returned;
}
