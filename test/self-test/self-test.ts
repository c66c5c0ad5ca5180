// The heart of the project's tests: the suites against targets whose answer is
// known. The reference Hive must pass everything; each bad Hive must be caught
// by the checks it names, and by no check for a rule it does not break.
// One file per family, so vitest spreads the families over its workers: all
// targets in one event loop would starve each other (fuzzing is CPU work).
import { TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { describe, expect, it } from 'vitest';
import { BAD_HIVE_FAMILIES, type BadHive } from '../../fixtures/bad-hives/index.js';
import type { Check } from '../../src/checks/check.js';
import type { CheckSettings } from '../../src/checks/environment.js';
import type { CheckResult } from '../../src/generated/schemas.js';
import type { HiveOptions, ReferenceHive } from '../../src/hive/index.js';
import { peerMap } from '../../src/peer/domains.js';
import { freePort } from '../../src/runner/run.js';
import { SUITES } from '../../suites/catalog.js';
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
