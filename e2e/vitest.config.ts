import { defineConfig } from 'vitest/config';

/** Browser tests: one journey through the built product, in Debian's Chromium. Run by `npm run test:e2e`. */
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['**/*.e2e.test.ts'],
    // The steps of a journey share one server and one browser, in order.
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    // Starting the server may build the embedded FerretDB first (about 40 s on a fresh machine).
    hookTimeout: 180_000,
  },
});
