import { it } from 'vitest';
import { createHive } from '../../src/hive/index.js';
import { peerMap } from '../../src/peer/domains.js';
import { freePort } from '../../src/runner/run.js';
import { fuzzChecks } from '../../suites/fuzz.js';
import { explain, runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';
it('scratch', async () => {
  const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
  const hive = createHive({ domain: TEST_DOMAIN, resolve: peerMap(peer) });
  const { url } = await hive.listen(0, '127.0.0.1');
  const t0 = Date.now();
  const results = await runChecks(fuzzChecks, testSettings(url, { peer, seed: Number(process.env.SEED ?? 42), fuzzRuns: Number(process.env.RUNS ?? 50) }));
  console.log('total ms', Date.now() - t0);
  for (const r of results.values()) console.log(r.id, r.status, r.durationMs, r.notes, r.status !== 'passed' ? r.message.slice(0, 3000) : '');
  await hive.close();
}, 300_000);
