import { it } from 'vitest';
import { BAD_HIVES } from '../../fixtures/bad-hives/index.js';
import { createHive, type HiveOptions, type ReferenceHive } from '../../src/hive/index.js';
import { privacyChecks } from '../../suites/privacy.js';
import { runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

async function show(name: string, create: (o: HiveOptions) => ReferenceHive) {
  const hive = create({ domain: TEST_DOMAIN });
  const { url } = await hive.listen(0, '127.0.0.1');
  const results = await runChecks(privacyChecks, testSettings(url));
  await hive.close();
  console.log(`=== ${name}`);
  for (const r of results.values()) {
    console.log(`${r.id} ${r.status} ${r.durationMs}ms ${r.notes?.join(' ') ?? ''}`);
    for (const f of r.failures) console.log(`    [${f.rule}/${f.level}] ${f.message}`);
  }
}
it('debug', async () => {
  await show('reference', createHive);
  for (const bad of BAD_HIVES) await show(bad.name, (o) => bad.create(o));
}, 120000);
