import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Node environment for every workspace, kiosk-ui too: no jsdom; its components are rendered with
    // preact-render-to-string and its end-to-end tests drive Chromium (kiosk-ui/README.md).
    include: ['**/test/**/*.test.ts', '**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2-core machines: integration tests start brokers and child processes.
    maxWorkers: 2,
  },
});
