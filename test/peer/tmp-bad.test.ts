import { describe, expect, it } from 'vitest';
import { countersignBadHives } from '../../fixtures/bad-hives/countersign.js';
import { peerMap } from '../../src/peer/domains.js';
import { freePort } from '../../src/runner/run.js';
import { countersignChecks } from '../../suites/countersign.js';
import { explain, runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

describe.each(countersignBadHives.filter((b) => (process.env.ONLY ?? b.name).split(',').includes(b.name)).map((b) => [b.name, b] as const))('bad %s', (_n, bad) => {
  it('caught', async () => {
    const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
    const hive = bad.create({ domain: TEST_DOMAIN, resolve: peerMap(peer) });
    const { url } = await hive.listen(0, '127.0.0.1');
    const results = await runChecks(countersignChecks, testSettings(url, { peer })).finally(() => hive.close());
    const caught = bad.caughtBy.map((id) => results.get(id)!).filter((r) => r.status !== 'failed');
    expect(caught, explain(caught)).toEqual([]);
    const falses = [...results.values()].filter((r) => r.status === 'error' || r.failures.some((f) => !bad.breaks.includes(f.rule)));
    expect(falses, explain(falses)).toEqual([]);
    console.log(bad.name, [...results.values()].filter(r => r.status==='failed').map(r => `${r.id}: ${r.failures.map(f=>f.rule+' '+f.message.slice(0,200)).join(' | ')}`).join('\n'));
  }, 120_000);
});
