// Runs checks in-process against a Hive: the project's self-tests use it to
// prove every check fails on a Hive that breaks its rule and passes on the
// reference Hive, without the cost of a vitest-in-vitest run per target.
import { createEnvironment, type CheckSettings } from '../../src/checks/environment.js';
import { executeChecks } from '../../src/checks/execute.js';
import type { Check } from '../../src/checks/check.js';
import type { CheckResult } from '../../src/generated/schemas.js';

export const TEST_DOMAIN = 'hive.pame.test';

export function testSettings(target: string, overrides: Partial<CheckSettings> = {}): CheckSettings {
  return {
    target,
    domain: TEST_DOMAIN,
    timeoutMs: 10_000,
    maxReplyBytes: 1024 * 1024,
    concurrency: 32,
    insecure: false,
    checkTimeoutMs: 60_000,
    userPrefix: `selftest-${Math.random().toString(36).slice(2, 8)}-`,
    accounts: [],
    secondSourceAddress: '127.0.0.2',
    only: [],
    skip: [],
    seed: 42,
    fuzzRuns: 50,
    ...overrides,
  };
}

/** Executes checks against the Hive at `target` as a run does (audits last) and returns their results by id. */
export async function runChecks(checks: readonly Check[], settings: CheckSettings): Promise<Map<string, CheckResult>> {
  const env = await createEnvironment(settings);
  try {
    const results = await executeChecks(checks, env);
    return new Map(results.map((r) => [r.id, r]));
  } finally {
    await env.close();
  }
}

/** A readable account of results that are not what a test wanted. */
export function explain(results: Iterable<CheckResult>): string {
  return [...results].map((r) => `${r.id} ${r.status}: ${r.message}`).join('\n\n');
}
