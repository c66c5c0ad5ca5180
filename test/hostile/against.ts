// Runs checks in-process against a hostile Hive started for the purpose.
import { HOSTILE_DOMAIN, type HostileHive } from '../../fixtures/hostile/hives.js';
import type { Check } from '../../src/checks/check.js';
import { createEnvironment, type CheckSettings } from '../../src/checks/environment.js';
import { executeChecks } from '../../src/checks/execute.js';
import { testSettings } from '../support/run-checks.js';

/** The request deadline of these tests: short, so hanging Hives cost little. */
export const TIMEOUT_MS = 1000;

/** Runs checks against a freshly started hostile Hive and stops it again. */
export async function against(hostile: HostileHive, checks: readonly Check[], overrides: Partial<CheckSettings> = {}) {
  const running = await hostile.start(0, '127.0.0.1');
  const env = await createEnvironment(testSettings(running.url, { domain: HOSTILE_DOMAIN, timeoutMs: TIMEOUT_MS, checkTimeoutMs: 15_000, ...overrides }));
  try {
    const started = Date.now();
    const results = await executeChecks(checks, env);
    return { results, durationMs: Date.now() - started, strayRequests: running.strayRequests() };
  } finally {
    await env.close();
    await running.close();
  }
}
