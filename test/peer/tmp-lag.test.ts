import { it } from 'vitest';
import { createHive } from '../../src/hive/index.js';
import { countersignBadHives } from '../../fixtures/bad-hives/countersign.js';
import { peerMap } from '../../src/peer/domains.js';
import { freePort } from '../../src/runner/run.js';
import { countersignChecks } from '../../suites/countersign.js';
import { createEnvironment } from '../../src/checks/environment.js';
import { executeCheck } from '../../src/checks/execute.js';
import { testSettings, TEST_DOMAIN } from '../support/run-checks.js';

it('lag', async () => {
  const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
  const bad = countersignBadHives.find((b) => b.name === process.env.BAD);
  const hive = (bad ? bad.create : createHive)({ domain: TEST_DOMAIN, resolve: peerMap(peer) });
  const { url } = await hive.listen(0, '127.0.0.1');
  const env = await createEnvironment(testSettings(url, { peer }));
  const t0 = Date.now();
  const log: string[] = [];
  const orig = env.client.send.bind(env.client);
  (env.client as any).send = async (raw: any) => { const s = Date.now(); const ex = await orig(raw); log.push(`${s - t0}+${Date.now() - s} ${raw.code} ${String(raw.body ?? raw.query).slice(0, 80)}`); return ex; };
  const checks = countersignChecks.filter((c) => (process.env.IDS ?? c.id).split(',').includes(c.id));
  const results = await Promise.all(checks.map((c) => executeCheck(c, env)));
  await env.close(); await hive.close();
  for (const r of results) console.log(r.id, r.status, r.durationMs, r.message.slice(0, 100));
  console.log(log.join('\n'));
}, 120_000);
