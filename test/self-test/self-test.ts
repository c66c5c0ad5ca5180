// The heart of the project's tests: the suites against targets whose answer is
// known. The reference Hive must pass everything; each bad Hive must be caught
// by the checks it names, and by no check for a rule it does not break.
// One file per family, so vitest spreads the families over its workers: all
// targets in one event loop would starve each other (fuzzing is CPU work).
import { TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { describe, expect, it } from 'vitest';
import { BAD_HIVE_FAMILIES, type BadHive } from '../../fixtures/bad-hives/index.js';
import { GOOD_HIVES } from '../../fixtures/good-hives/index.js';
import type { Check } from '../../src/checks/check.js';
import type { CheckSettings } from '../../src/checks/environment.js';
import type { CheckResult } from '../../src/generated/schemas.js';
import type { HiveOptions, ReferenceHive } from '../../src/hive/index.js';
import { peerMap } from '../../src/peer/domains.js';
import { freePort } from '../../src/runner/free-port.js';
import { ALL_CHECKS, SUITES } from '../../suites/catalog.js';
import { explain, runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

export async function resultsAgainst(create: (options: HiveOptions) => ReferenceHive, checks: readonly Check[], settings: Partial<CheckSettings> = {}): Promise<Map<string, CheckResult>> {
  const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
  const hive = create({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN, resolve: peerMap(peer) });
  try {
    const { url } = await hive.listen(0, '127.0.0.1');
    return await runChecks(checks, testSettings(url, { peer, ...settings }));
  } finally {
    await hive.close();
  }
}

/**
 * The skips the reference Hive has in this arrangement: plain http on loopback
 * has no TLS to examine, and idle expiry is proven against a short-idle Hive elsewhere.
 */
export function isArrangementSkip(result: CheckResult): boolean {
  return result.status === 'skipped' && /plain http|idle expiry/.test(result.message);
}

/**
 * Registers one test per good Hive of shard `shard` (of `shards`): the whole
 * suite, fuzzing and countersign included, runs against each and nothing may
 * fail, err or skip beyond what the reference Hive skips. A run mostly waits
 * (countersign timeouts, PAME-CS-007's pause), so the Hives of a shard run
 * concurrently (vitest's maxConcurrency, 5, at a time: eight full runs at once
 * in one event loop starved each other past the checks' deadlines); the shards
 * are files, for vitest's workers where there are several.
 */
export function goodHivesShard(shard: number, shards: number): void {
  const hives = GOOD_HIVES.filter((_, i) => i % shards === shard);
  if (hives.length === 0) throw new Error(`no good Hive falls in shard ${shard + 1} of ${shards}`);
  describe.concurrent.each(hives.map((good) => [good.name, good] as const))('good Hive %s', (_name, good) => {
    it(`passes every check: ${good.reading}`, async () => {
      const results = [...(await resultsAgainst((options) => good.create(options), ALL_CHECKS)).values()];
      const wrong = results.filter((r) => r.status === 'failed' || r.status === 'error' || r.status === 'waived' || (r.status === 'skipped' && !isArrangementSkip(r)));
      expect(wrong, `checks that fail, err or skip against a Hive taking a permitted reading:\n${explain(wrong)}`).toEqual([]);
      expect(results.length).toBe(ALL_CHECKS.length);
    }, 180_000);
  });
}

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

/** Registers one test per bad Hive of a family. */
export function badHivesOf(family: string): void {
  const hives = BAD_HIVE_FAMILIES[family];
  if (!hives || hives.length === 0) throw new Error(`no bad Hives in family ${family}`);
  describe.concurrent.each(hives.map((bad) => [bad.name, bad] as const))(`bad Hive ${family}/%s`, (_name, bad) => {
    it(`is caught: ${bad.defect}`, async () => {
      const results = await resultsAgainst((options) => bad.create(options), checksAgainst(family, bad));
      const missed = bad.caughtBy.filter((id) => results.get(id)?.status !== 'failed');
      expect(missed, `these checks should fail but did not:\n${explain(missed.map((id) => results.get(id)).filter((r): r is CheckResult => r !== undefined))}`).toEqual([]);
      const falseFailures = [...results.values()].filter((r) => r.status === 'error' || r.failures.some((f) => !bad.breaks.includes(f.rule)));
      expect(falseFailures, `failures for rules the Hive does not break:\n${explain(falseFailures)}`).toEqual([]);
    }, 180_000);
  });
}
