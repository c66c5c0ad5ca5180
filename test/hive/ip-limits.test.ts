// Per-IP limits on registrations and sends: a script on one address is stopped
// at the limit, other addresses are not, and the limit comes back with the
// next window. Off unless asked for (the suite registers many users from 127.0.0.1).
import { describe, expect, it } from 'vitest';
import { HiveClient } from '../../src/client/client.js';
import { respOf } from '../../src/client/exchange.js';
import { createHive, DEFAULT_IP_LIMITS, TEST_PASSWORD_COST } from '../../src/hive/index.js';

const DOMAIN = 'hive.pame.test';
const PASS = 'correct horse battery';

describe('per-IP limits', () => {
  it('refuse registrations and sends past the limit from one address, until the window turns', async () => {
    let now = 1_000_000;
    const hive = createHive({ domain: DOMAIN, passwordCost: TEST_PASSWORD_COST, tamper: { clock: () => now }, ipLimits: { registrations: { max: 2, windowMs: 60_000 }, sends: { max: 1, windowMs: 60_000 } } });
    const client = new HiveClient((await hive.listen(0, '127.0.0.1')).url);
    const register = async (user: string, localAddress?: string) => respOf(await client.call('Epost_user_register', { iam: `${user}::${DOMAIN}`, pass: PASS }, { ...(localAddress ? { localAddress } : {}) }));
    try {
      expect([await register('ana'), await register('bob'), await register('cid')]).toEqual([1, 1, -1]);
      expect(await register('dan', '127.0.0.2')).toBe(1);
      const session = ((await client.call('Epost_session_open', { iam: `ana::${DOMAIN}`, pass: PASS })).reply?.json as { session: string }).session;
      const send = async () => respOf(await client.call('Epost_msg_send', { iam: `ana::${DOMAIN}`, to: [`bob::${DOMAIN}`], body: 'hi' }, { session }));
      expect([await send(), await send()]).toEqual([1, -1]);
      now += 60_000;
      expect(await register('cid')).toBe(1);
      expect(await send()).toBe(1);
    } finally {
      await client.close();
      await hive.close();
    }
  });

  it('are off unless given, and pame hive has generous defaults', async () => {
    expect(DEFAULT_IP_LIMITS.registrations.max).toBeGreaterThanOrEqual(10);
    const hive = createHive({ domain: DOMAIN, passwordCost: TEST_PASSWORD_COST });
    const client = new HiveClient((await hive.listen(0, '127.0.0.1')).url);
    try {
      const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => client.call('Epost_user_register', { iam: `u${i}::${DOMAIN}`, pass: PASS })));
      expect(replies.map(respOf).filter((resp) => resp !== 1)).toEqual([]);
    } finally {
      await client.close();
      await hive.close();
    }
  });
});
