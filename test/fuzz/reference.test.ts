// The fuzz checks never fail against the reference Hive, whatever the seed,
// and --fuzz-runs 0 turns them off, saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZING_OFF } from '../../src/fuzz/properties.js';
import { createHive, type ReferenceHive, TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { peerMap } from '../../src/peer/domains.js';
import { freePort } from '../../src/runner/free-port.js';
import { fuzzSuite } from '../../suites/fuzz.js';
import { explain, runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

describe('against the reference Hive', () => {
  let hive: ReferenceHive;
  let url: string;
  let peer: { host: string; port: number };
  beforeAll(async () => {
    peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
    hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN, resolve: peerMap(peer) });
    ({ url } = await hive.listen(0, '127.0.0.1'));
  });
  afterAll(() => hive.close());

  // Seeds other than the self-test's 42: the properties hold for every sample, not for one stream.
  it.each([1, 7, 2026, 123456789])('every fuzz check passes with seed %i, and notes its seed', async (seed) => {
    const results = [...(await runChecks(fuzzSuite.checks, testSettings(url, { peer, seed, fuzzRuns: 30 }))).values()];
    expect(results.filter((r) => r.status !== 'passed'), explain(results.filter((r) => r.status !== 'passed'))).toEqual([]);
    for (const result of results) expect(result.notes?.[0], result.id).toMatch(new RegExp(`^seed ${seed}: \\d+ .+, \\d+ requests in`));
  }, 120_000);

  it('--fuzz-runs 0 skips every fuzz check with the reason', async () => {
    const results = [...(await runChecks(fuzzSuite.checks, testSettings(url, { peer, fuzzRuns: 0 }))).values()];
    expect(results.map((r) => [r.status, r.message])).toEqual(fuzzSuite.checks.map(() => ['skipped', FUZZING_OFF]));
  });
});
