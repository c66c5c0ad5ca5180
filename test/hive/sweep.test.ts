// What clients leave behind is swept: sessions idle past their expiry, tickets
// past their life, relay markers past their retention; the sweeper stops when
// the Hive closes.
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { HiveClient } from '../../src/client/client.js';
import { createHive, MemoryStore, TEST_PASSWORD_COST } from '../../src/hive/index.js';

const DOMAIN = 'hive.pame.test';
const MESSAGE = { msg: 'm', from: `ana::${DOMAIN}`, to: ['bob::other.test'] as [string], date: '2026-01-01T00:00:00Z', ip: '127.0.0.1', subject: 's', format: 'plain' as const, body: 'b' };

describe('MemoryStore.sweep', () => {
  it('forgets idle sessions, expired tickets and old relay markers, and keeps the rest', () => {
    const store = new MemoryStore();
    store.putSession('idle', { user: `ana::${DOMAIN}`, ip: '127.0.0.1', lastUsed: 0 });
    store.putSession('fresh', { user: `ana::${DOMAIN}`, ip: '127.0.0.1', lastUsed: 900 });
    store.putTicket('old', { message: MESSAGE, expiresAt: 1000 });
    store.putTicket('live', { message: MESSAGE, expiresAt: 1001 });
    store.markRelayed('other.test', 'old', 0);
    store.markRelayed('other.test', 'recent', 500);
    store.sweep(1000, { sessionIdleMs: 500, relayMarkerMs: 1000 });
    expect([store.session('idle'), store.ticket('old'), store.wasRelayed('other.test', 'old')]).toEqual([undefined, undefined, false]);
    expect([store.session('fresh') !== undefined, store.ticket('live') !== undefined, store.wasRelayed('other.test', 'recent')]).toEqual([true, true, true]);
  });
});

describe('the Hive sweeper', () => {
  it('sweeps an idle session on its own, and stops when the Hive closes', async () => {
    let now = 1_000_000;
    let sweeps = 0;
    const store = new (class extends MemoryStore {
      override sweep(...args: Parameters<MemoryStore['sweep']>): void {
        sweeps++;
        super.sweep(...args);
      }
    })();
    const hive = createHive({ domain: DOMAIN, passwordCost: TEST_PASSWORD_COST, store, sessionIdleMs: 1_000, sweepIntervalMs: 10, tamper: { clock: () => now } });
    const client = new HiveClient((await hive.listen(0, '127.0.0.1')).url);
    try {
      await client.call('Epost_user_register', { iam: `ana::${DOMAIN}`, pass: 'correct horse battery' });
      const key = ((await client.call('Epost_session_open', { iam: `ana::${DOMAIN}`, pass: 'correct horse battery' })).reply?.json as { session: string }).session;
      expect(store.session(key)).toBeDefined();
      now += 1_000;
      await delay(50);
      expect(store.session(key)).toBeUndefined();
    } finally {
      await client.close();
      await hive.close();
    }
    const after = sweeps;
    await delay(50);
    expect(sweeps).toBe(after);
  });
});
