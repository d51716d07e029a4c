/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import elementPlusOnDemand from 'unplugin-vue-components/vite';
import { defineConfig, loadEnv } from 'vite';
import { SHARED_PACKAGE_TREESHAKE } from './vite-support/shared-package-treeshake';

const DEFAULT_API_PROXY_TARGET = 'http://localhost:3000';

// Node 25+ defines its own `localStorage` global (empty without --localstorage-file), and Vitest keeps an existing
// global instead of installing happy-dom's: every test that stores the UI language would then fail. Turning
// Node's Web Storage off lets happy-dom's take its place; Node versions without the flag need nothing.
const NODE_WEB_STORAGE_OFF = '--no-experimental-webstorage';
const testExecArgv = process.allowedNodeEnvironmentFlags.has(NODE_WEB_STORAGE_OFF) ? [NODE_WEB_STORAGE_OFF] : [];

// One file configures dev server, build and unit tests, so the `@` alias and plugins are the same everywhere.
export default defineConfig(({ mode }) => {
  const rootDir = fileURLToPath(new URL('.', import.meta.url));
  // loadEnv reads admin-ui/.env* files and the process environment (the latter wins).
  const env = loadEnv(mode, rootDir, 'VITE_');
  const apiProxyTarget = env.VITE_API_PROXY_TARGET || DEFAULT_API_PROXY_TARGET;
  // The Express server serves the API and the built SPA from one origin; in development Vite stands in front of it.
  const proxiedToServer = { target: apiProxyTarget, changeOrigin: false };

  return {
    root: rootDir,
    plugins: [
      vue(),
      // Element Plus on demand: each `<el-*>` tag (and `v-loading`) in a template becomes an import of that one
      // component and its own CSS, so a page downloads only the components it shows. Our own components are
      // imported by hand (`dirs: []`); template types come from `element-plus/global` (tsconfig), so no d.ts.
      // Runs in unit tests too: components mount as in the browser, with no `app.use(ElementPlus)`.
      elementPlusOnDemand({ dirs: [], dts: false, resolvers: [ElementPlusResolver({ importStyle: 'css', directives: true })] }),
    ],
    resolve: {
      alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
    },
    define: {
      // vue-i18n's esm-bundler build asks for these flags; we use the Composition API only.
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    server: {
      proxy: {
        '/api': proxiedToServer,
        '/healthz': proxiedToServer,
      },
    },
    build: {
      outDir: fileURLToPath(new URL('./dist', import.meta.url)),
      emptyOutDir: true,
      // dist/.vite/manifest.json: which chunks and CSS files each page loads, read by the bundle budget check.
      manifest: true,
      rollupOptions: { treeshake: SHARED_PACKAGE_TREESHAKE },
    },
    test: {
      environment: 'happy-dom',
      execArgv: testExecArgv,
      // scripts/: the bundle budget check (plain Node), whose test builds the SPA to measure the sign-in page.
      include: ['src/**/*.test.ts', 'scripts/**/*.test.mjs'],
      setupFiles: ['src/test-support/page-reset.ts'],
      // Loaded by Node as-is, Element Plus gets async-validator's CommonJS build, whose default export is not
      // the constructor: every el-form then validates as "valid" (element-plus/element-plus#20141).
      // Letting Vite transform Element Plus applies the same interop as the browser bundle.
      server: { deps: { inline: ['element-plus'] } },
      // Every test starts from the mocks' original implementations and empty call records.
      mockReset: true,
      restoreMocks: true,
      unstubGlobals: true,
    },
  };
});
