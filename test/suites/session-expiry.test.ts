// Idle expiry (U2) cannot be observed at the 30-minute default the main
// self-test runs with, so its checks skip there. Here they run against Hives
// started with a short idle time: the reference Hive passes them, and each
// bad Hive whose sessions outlive (or undercut) the idle time is caught.
import { describe, expect, it } from 'vitest';
import { sessionExpiryBadHives } from '../../fixtures/bad-hives/sessions.js';
import { catches, type BadHive } from '../../fixtures/bad-hives/types.js';
import { createHive, TEST_PASSWORD_COST, type HiveOptions, type ReferenceHive } from '../../src/hive/index.js';
import type { CheckResult } from '../../src/generated/schemas.js';
import { sessionsSuite } from '../../suites/sessions.js';
import { explain, runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

/** Short enough for a quick test, long enough that a loaded machine's request latency stays well inside it. */
const IDLE_MS = 800;
const EXPIRY_CHECKS = sessionsSuite.checks.filter((check) => check.needs?.includes('session-expiry'));

async function expiryResults(create: (options: HiveOptions) => ReferenceHive): Promise<CheckResult[]> {
  const hive = create({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN, sessionIdleMs: IDLE_MS });
  try {
    const { url } = await hive.listen(0, '127.0.0.1');
    return [...(await runChecks(EXPIRY_CHECKS, testSettings(url, { sessionIdleMs: IDLE_MS }))).values()];
  } finally {
    await hive.close();
  }
}

describe('idle expiry checks against Hives with a short idle time', () => {
  it('are there to run', () => {
    expect(EXPIRY_CHECKS.map((check) => check.id)).toEqual(['PAME-SES-009', 'PAME-SES-010']);
  });

  it('pass on the reference Hive', async () => {
    const results = await expiryResults(createHive);
    expect(results.filter((r) => r.status !== 'passed'), explain(results)).toEqual([]);
  });

  it.each(sessionExpiryBadHives.map((bad) => [bad.name, bad] as const))('catch %s', async (_name, bad: BadHive) => {
    const results = await expiryResults((options) => bad.create(options));
    const caught = results.filter((r) => catches(bad, r.id));
    expect(caught.map((r) => [r.id, r.status]), explain(caught)).toEqual(bad.caughtBy.map((id) => [id, 'failed']));
    const falseFailures = results.filter((r) => r.status === 'error' || r.failures.some((f) => !bad.breaks.includes(f.rule)));
    expect(falseFailures, explain(falseFailures)).toEqual([]);
  });
});
