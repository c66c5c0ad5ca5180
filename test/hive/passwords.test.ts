// Password hashing a Hive operator can copy: scrypt at N = 2^15 unless told
// otherwise, the cost kept with every record, so raising it later locks no one out.
import { afterEach, describe, expect, it } from 'vitest';
import { HiveClient } from '../../src/client/client.js';
import { respOf } from '../../src/client/exchange.js';
import { createHive, DEFAULT_PASSWORD_COST, MemoryStore, TEST_PASSWORD_COST, type HiveOptions } from '../../src/hive/index.js';

const DOMAIN = 'hive.pame.test';
const PASS = 'correct horse battery';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => void (await Promise.all(open.splice(0).map((thing) => thing.close()))));

async function clientOf(options: Omit<HiveOptions, 'domain'>): Promise<HiveClient> {
  const hive = createHive({ domain: DOMAIN, ...options });
  const client = new HiveClient((await hive.listen(0, '127.0.0.1')).url);
  open.push(client, hive);
  return client;
}

describe('password records', () => {
  it('are hashed at N = 2^15 or more by default, and keep their cost', async () => {
    expect(DEFAULT_PASSWORD_COST.N).toBeGreaterThanOrEqual(2 ** 15);
    const store = new MemoryStore();
    const client = await clientOf({ store });
    expect(respOf(await client.call('Epost_user_register', { iam: `ana::${DOMAIN}`, pass: PASS }))).toBe(1);
    expect(store.user('ana')?.cost).toEqual(DEFAULT_PASSWORD_COST);
  });

  it('still open for users hashed at an earlier cost after the cost is raised', async () => {
    const store = new MemoryStore();
    const before = await clientOf({ store, passwordCost: TEST_PASSWORD_COST });
    expect(respOf(await before.call('Epost_user_register', { iam: `ana::${DOMAIN}`, pass: PASS }))).toBe(1);
    const after = await clientOf({ store, passwordCost: { ...TEST_PASSWORD_COST, N: 1024 } });
    expect(respOf(await after.call('Epost_session_open', { iam: `ana::${DOMAIN}`, pass: PASS }))).toBe(1);
    expect(respOf(await after.call('Epost_session_open', { iam: `ana::${DOMAIN}`, pass: 'not the password' }))).toBe(-1.301);
    expect(respOf(await after.call('Epost_user_register', { iam: `bob::${DOMAIN}`, pass: PASS }))).toBe(1);
    expect(store.user('bob')?.cost.N).toBe(1024);
    expect(store.user('ana')?.cost.N).toBe(TEST_PASSWORD_COST.N);
  });
});
