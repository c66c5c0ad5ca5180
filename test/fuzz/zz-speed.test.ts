import { it } from 'vitest';
import { createHive } from '../../src/hive/index.js';
import { HiveClient } from '../../src/client/client.js';
import { validateReply } from '../../src/validator/validate.js';
it('speed', async () => {
  const hive = createHive({ domain: 'hive.pame.test' });
  const { url } = await hive.listen(0, '127.0.0.1');
  const client = new HiveClient(url, { concurrency: 16 });
  for (let round = 0; round < 3; round++) {
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 1000 }, () => client.call('Epost_ping', { iam: 'a' })));
    console.log('1000 pings', Date.now() - t0, 'ms');
  }
  const t1 = Date.now();
  for (let i = 0; i < 1000; i++) validateReply('Epost_ping', { resp: 1, hive: 'a', version: '0.2.1' });
  console.log('1000 validations', Date.now() - t1);
  await client.close(); await hive.close();
}, 300_000);
