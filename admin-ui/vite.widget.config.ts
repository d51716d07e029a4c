import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { SHARED_PACKAGE_TREESHAKE } from './vite-support/shared-package-treeshake';

/**
 * The `<wechat-login>` custom element as one self-contained script, dist/widget/wechat-login.js, which the
 * server serves at /widget/wechat-login.js. Runs after the SPA build (which empties dist/ and copies
 * public/widget/demo.html), so it must not empty its folder.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Custom-element mode: the SFC's styles go into the element's shadow root, not the page's <head>.
  plugins: [vue({ customElement: true })],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // Library builds keep `process.env.NODE_ENV` for the consumer; this script is the final product.
    'process.env.NODE_ENV': JSON.stringify('production'),
  },
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/widget', import.meta.url)),
    emptyOutDir: false,
    rollupOptions: { treeshake: SHARED_PACKAGE_TREESHAKE },
    lib: {
      entry: fileURLToPath(new URL('./src/widget/wechat-login-element.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'wechat-login.js',
    },
  },
});
