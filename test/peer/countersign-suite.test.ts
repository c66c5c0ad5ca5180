// The countersign suite end to end against the reference Hive: every check
// passes when the Hive has the peer map, and every check is skipped, with the
// map to use, when it has not.
import { describe, expect, it } from 'vitest';
import { createHive } from '../../src/hive/index.js';
import { peerMap } from '../../src/peer/domains.js';
import { freePort } from '../../src/runner/run.js';
import { countersignChecks } from '../../suites/countersign.js';
import { explain, runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

async function runAgainst(withMap: boolean) {
  const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
  const hive = createHive({ domain: TEST_DOMAIN, ...(withMap ? { resolve: peerMap(peer) } : {}) });
  try {
    const { url } = await hive.listen(0, '127.0.0.1');
    return { results: await runChecks(countersignChecks, testSettings(url, { peer })), map: peerMap(peer) };
  } finally {
    await hive.close();
  }
}

describe('the countersign suite', () => {
  it('passes every check against the reference Hive given the peer map', async () => {
    const { results } = await runAgainst(true);
    const notPassed = [...results.values()].filter((r) => r.status !== 'passed');
    expect(notPassed, explain(notPassed)).toEqual([]);
  }, 90_000);

  it('skips every check, naming the map to use, when the Hive was not given it', async () => {
    const { results, map } = await runAgainst(false);
    const notSkipped = [...results.values()].filter((r) => r.status !== 'skipped' || !r.message.includes(map));
    expect(notSkipped, explain(notSkipped)).toEqual([]);
  }, 90_000);
});
