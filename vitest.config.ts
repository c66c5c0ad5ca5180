import { defineConfig } from 'vitest/config';

// The project's own tests. The conformance suites in suites/ are run by `pame run`, not by this config.
// The JSON output feeds the "N passed, N failed" line of .ci/run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
