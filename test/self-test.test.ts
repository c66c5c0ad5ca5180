// The heart of the project's tests: the suites against targets whose answer is
// known. The reference Hive must pass everything; each bad Hive must be caught
// by the checks it names, and by no check for a rule it does not break.
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_HIVE_FAMILIES, type BadHive } from '../fixtures/bad-hives/index.js';
import { createHive, type HiveOptions, type ReferenceHive } from '../src/hive/index.js';
import { peerMap } from '../src/peer/domains.js';
import { freePort } from '../src/runner/run.js';
import type { Check } from '../src/checks/check.js';
import { ALL_CHECKS, SUITES } from '../suites/catalog.js';
import type { CheckResult } from '../src/generated/schemas.js';
import { explain, runChecks, testSettings, TEST_DOMAIN } from './support/run-checks.js';

async function resultsAgainst(create: (options: HiveOptions) => ReferenceHive, checks: readonly Check[]): Promise<Map<string, CheckResult>> {
  const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
  const hive = create({ domain: TEST_DOMAIN, resolve: peerMap(peer) });
  try {
    const { url } = await hive.listen(0, '127.0.0.1');
    return await runChecks(checks, testSettings(url, { peer }));
  } finally {
    await hive.close();
  }
}

describe('the reference Hive', () => {
  let results: Map<string, CheckResult>;
  beforeAll(async () => {
    results = await resultsAgainst(createHive, ALL_CHECKS);
  }, 120_000);

  it('passes every check: no failure, no error', () => {
    const bad = [...results.values()].filter((r) => r.status === 'failed' || r.status === 'error');
    expect(bad, explain(bad)).toEqual([]);
  });

  // Plain http on loopback has no TLS to examine, and idle expiry is proven against a short-idle Hive elsewhere.
  it('skips only what this arrangement cannot perform (TLS, 30-minute idle expiry)', () => {
    const skipped = [...results.values()].filter((r) => r.status === 'skipped');
    expect(skipped.every((r) => /plain http|idle expiry/.test(r.message)), explain(skipped)).toBe(true);
  });
});

/**
 * Fuzzing burns CPU and countersign waits out step-2 timeouts: against ~100 bad
 * Hives on two cores those two suites would take most of CI's time. They run in
 * full against the reference Hive and against their own family's bad Hives; every
 * other bad Hive meets every other check, and the costly checks it names.
 */
const COSTLY_SUITES = new Set(['fuzz', 'countersign']);

function checksAgainst(family: string, bad: BadHive): Check[] {
  return SUITES.flatMap((suite) => (!COSTLY_SUITES.has(suite.name) || suite.name === family ? suite.checks : suite.checks.filter((c) => bad.caughtBy.includes(c.id))));
}

const cases = Object.entries(BAD_HIVE_FAMILIES).flatMap(([family, hives]) => hives.map((bad) => [`${family}/${bad.name}`, family, bad] as const));

describe.concurrent.each(cases)('bad Hive %s', (_name, family, bad) => {
  it(`is caught: ${bad.defect}`, async () => {
    const results = await resultsAgainst((options) => bad.create(options), checksAgainst(family, bad));
    const caught = bad.caughtBy.map((id) => results.get(id)).filter((r) => r?.status !== 'failed');
    expect(caught, `these checks should fail but did not:\n${explain(caught.filter((r): r is CheckResult => r !== undefined))}`).toEqual([]);
    const falseFailures = [...results.values()].filter((r) => r.status === 'error' || r.failures.some((f) => !bad.breaks.includes(f.rule)));
    expect(falseFailures, `failures for rules the Hive does not break:\n${explain(falseFailures)}`).toEqual([]);
  }, 180_000);
});
