import { fileURLToPath } from 'node:url';

/** The workspace package as the bundler sees it: symbolic links resolved to the real files. */
const SHARED_DIST_DIR = fileURLToPath(new URL('../../shared/dist/', import.meta.url));

/**
 * Rollup's tree-shaking options for both builds (the SPA, the widget). @wechat-login/shared only declares
 * schemas and constants, but its package.json does not say so (no `"sideEffects": false`): without this,
 * importing one constant from it (the WeChat client plugin does) keeps every zod schema it defines, and all
 * of zod with them, in the sign-in page's first download and in the widget.
 */
export const SHARED_PACKAGE_TREESHAKE = {
  moduleSideEffects: (id: string): boolean => !id.startsWith(SHARED_DIST_DIR),
};
