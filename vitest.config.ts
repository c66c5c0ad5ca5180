import { defineConfig } from 'vitest/config';

// The project's own tests. The conformance suites in suites/ are run by `pame run`, not by this config.
// The JSON output feeds the "N passed, N failed" line of .ci/run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Most test files wait on Hives, peers and deadlines (C3's 10 s, countersign's 30 s) rather than
    // compute; vitest's default of one worker on a 2-core machine runs those waits end to end; a third worker starved the CPU-bound ones into timeouts.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
