import { configDefaults, defineConfig } from 'vitest/config';

// The browser end-to-end file measures main-thread responsiveness and redraw times of the page;
// on a 2-core machine it runs after the other files, not beside them, so that the timings measure
// the page rather than the contention with another test file.
const BROWSER_E2E = 'test/browser.e2e.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, BROWSER_E2E],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'browser-e2e', include: [BROWSER_E2E], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
