import { defineConfig } from 'vitest/config';

// Packages import each other's TypeScript sources through the "source" export condition, so tests
// and dev builds need no prior build. Vite's default conditions are kept after it.
const source = 'source';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { conditions: [source, 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: [source, 'module', 'node', 'development|production'] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'engine', include: ['packages/engine/test/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'widget',
          include: ['packages/widget/test/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['packages/widget/test/support/media.ts', 'packages/widget/test/support/dialog.ts'],
          // Bundled by Vite so that it shares the one ES-module copy of Preact with the widget
          // (its CommonJS build would load a second Preact, and hooks would not find their component).
          server: { deps: { inline: [/@testing-library\/preact/] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'console',
          include: ['packages/console/test/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          server: { deps: { inline: [/@testing-library\/preact/] } },
        },
      },
      {
        extends: true,
        test: {
          // Real Chromium against the real lead server (test/e2e/README.md).
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // One browser at a time: each file runs Chromium, a lead server and a site, and on two cores
          // several at once starve each other into timeouts.
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['packages/server/test/**/*.test.ts'],
          environment: 'node',
          // Storage tests share one PostgreSQL server and child-process tests share the CPU.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
