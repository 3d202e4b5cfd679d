import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit`: the pure core, with no database and no server (so no global setup), in
 * seconds. `npm test` (vitest.config.ts) still runs these along with everything else.
 */
export default defineConfig({
  test: {
    include: [
      'test/domain/**/*.test.ts',
      'test/parsing/**/*.test.ts',
      'test/views/**/*.test.ts',
      'test/text/**/*.test.ts',
      'test/charts/**/*.test.ts',
      'test/handlers/ids.test.ts',
      'test/handlers/middleware.test.ts',
      'test/architecture.test.ts',
      'test/config.test.ts',
      'test/manifest.test.ts',
      'test/jobs-runner.test.ts',
    ],
    testTimeout: 30_000,
  },
});
