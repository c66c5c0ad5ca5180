// Profile §4: sessions (U1–U4) and Q4, by GET and by POST. A second source
// address (127.0.0.2) stands for another client IP; Linux routes all of 127/8.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODES, REQUEST_CODES } from '../../src/protocol/codes.js';
import { DOMAIN, METHODS, PASS, TestHive, type TestUser } from './helpers.js';

const NOT_LOGGED_IN = { resp: -1.303 };
const SESSION_CODES = REQUEST_CODES.filter((code) => CODES[code].session);
const OTHER_IP = '127.0.0.2';

let t: TestHive;
beforeAll(async () => {
  t = await TestHive.start();
});
afterAll(() => t.close());

describe.each(METHODS)('by %s', (method) => {
  let ana: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    ana = await t.user(`ana-${method.toLowerCase()}`, { method });
    bob = await t.user(`bob-${method.toLowerCase()}`, { method });
  });

  it.each(SESSION_CODES)('U1, U2: %s without a valid session is -1.303, before any other part is looked at', async (code) => {
    // Parts that would each be -1.1 or -3.x on their own: the session check comes first.
    const parts = { iam: ana.name, to: 'nobody', body: 7, conv: 7, start: -1, limit: 'x', contact: '::' };
    for (const session of [undefined, 7, null, ['x'], '', 'not-a-key', bob.session]) {
      expect(await t.call(code, { ...parts, ...(session === undefined ? {} : { session }) }, { method })).toEqual(NOT_LOGGED_IN);
    }
  });

  it('U2: a session is bound to its user, whatever other user iam names', async () => {
    expect(await t.call('Epost_contact_list', { iam: bob.name }, { method, session: ana.session })).toEqual(NOT_LOGGED_IN);
    expect(await t.call('Epost_contact_list', { iam: `${ana.name}::other.example` }, { method, session: ana.session })).toEqual(NOT_LOGGED_IN);
    expect((await ana.call('Epost_contact_list')).resp).toBe(1);
  });

  it('U2: a session is bound to the client IP that opened it', async () => {
    expect(await ana.call('Epost_contact_list', {}, { localAddress: OTHER_IP })).toEqual(NOT_LOGGED_IN);
    // The refusal does not end the session for its own IP.
    expect((await ana.call('Epost_contact_list')).resp).toBe(1);
    const away = await t.login(ana.name, { method, localAddress: OTHER_IP });
    expect((await t.call('Epost_contact_list', { iam: ana.name }, { method, session: away, localAddress: OTHER_IP })).resp).toBe(1);
    expect(await t.call('Epost_contact_list', { iam: ana.name }, { method, session: away })).toEqual(NOT_LOGGED_IN);
  });

  it('U4: X-Forwarded-For and Forwarded do not move a session to another IP', async () => {
    const headers = { 'x-forwarded-for': '127.0.0.1', forwarded: 'for=127.0.0.1' };
    expect(await ana.call('Epost_contact_list', {}, { localAddress: OTHER_IP, headers })).toEqual(NOT_LOGGED_IN);
    const spoofedAway = { 'x-forwarded-for': OTHER_IP, forwarded: `for=${OTHER_IP}` };
    expect((await ana.call('Epost_contact_list', {}, { headers: spoofedAway })).resp).toBe(1);
  });

  it('Q4, U3: closing ends that key for good, not the user\'s other sessions; keys are never shared', async () => {
    const first = await t.login(ana.name, { method });
    const second = await t.login(ana.name, { method });
    expect(first).not.toBe(second);
    expect(await t.call('Epost_session_close', { iam: ana.name }, { method, session: first })).toEqual({ resp: 1 });
    expect(await t.call('Epost_contact_list', { iam: ana.name }, { method, session: first })).toEqual(NOT_LOGGED_IN);
    expect(await t.call('Epost_session_close', { iam: ana.name }, { method, session: first })).toEqual(NOT_LOGGED_IN);
    expect((await t.call('Epost_contact_list', { iam: ana.name }, { method, session: second })).resp).toBe(1);
  });
});

describe('U3: session keys', () => {
  it('are at least 22 characters, unique, and look random', async () => {
    await t.register('keyholder');
    const keys = await Promise.all(Array.from({ length: 20 }, () => t.login('keyholder')));
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });
});

describe('U2: idle expiry', () => {
  let now = Date.parse('2026-11-25T08:30:00Z');
  let idle: TestHive;
  beforeAll(async () => {
    idle = await TestHive.start({ sessionIdleMs: 60_000, tamper: { clock: () => now } });
  });
  afterAll(() => idle.close());

  it('ends a session idle for sessionIdleMs; using it keeps it alive', async () => {
    const ana = await idle.user('ana');
    now += 59_000;
    expect((await ana.call('Epost_contact_list')).resp).toBe(1);
    now += 59_000;
    expect((await ana.call('Epost_contact_list')).resp).toBe(1);
    now += 60_000;
    expect(await ana.call('Epost_contact_list')).toEqual(NOT_LOGGED_IN);
    // Expired is over: a later request with the key does not bring it back.
    now -= 60_000;
    expect(await ana.call('Epost_contact_list')).toEqual(NOT_LOGGED_IN);
  });

  it('ends sessions by the wall clock too (short sessionIdleMs, real time)', async () => {
    const real = await TestHive.start({ sessionIdleMs: 150 });
    try {
      const ana = await real.user('ana');
      expect((await ana.call('Epost_contact_list')).resp).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await ana.call('Epost_contact_list')).toEqual(NOT_LOGGED_IN);
    } finally {
      await real.close();
    }
  });

  it('defaults to 30 minutes', async () => {
    const start = Date.parse('2026-11-25T08:30:00Z');
    let clock = start;
    const standard = await TestHive.start({ tamper: { clock: () => clock } });
    try {
      const ana = await standard.user('ana');
      clock = start + 29 * 60_000;
      expect((await ana.call('Epost_contact_list')).resp).toBe(1);
      clock += 30 * 60_000;
      expect(await ana.call('Epost_contact_list')).toEqual(NOT_LOGGED_IN);
    } finally {
      await standard.close();
    }
  });
});

describe('U4: a configured trusted proxy', () => {
  let proxied: TestHive;
  beforeAll(async () => {
    proxied = await TestHive.start({ trustedProxies: ['127.0.0.1'] });
  });
  afterAll(() => proxied.close());

  it('takes the client IP from X-Forwarded-For sent by the proxy, for the session and the message header', async () => {
    const client = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    const ana = await proxied.user('ana', client);
    await proxied.register('bob');
    expect((await ana.send(['bob'])).resp).toBe(1);
    // Without the header, the request comes from the proxy's own address: another IP.
    expect(await ana.call('Epost_contact_list', {}, { headers: {} })).toEqual(NOT_LOGGED_IN);
    const bob = await proxied.login('bob');
    const msgs = (await proxied.call('Epost_conv_new', { iam: 'bob' }, { session: bob })).msgs as { ip: string }[];
    expect(msgs.map((m) => m.ip)).toEqual(['203.0.113.7']);
  });

  it('believes only the hop the trusted proxy added', async () => {
    // The client wrote the first entry itself; the proxy appended the address it saw.
    const ana = await proxied.login('ana', { headers: { 'x-forwarded-for': '198.51.100.9, 203.0.113.7' } });
    expect((await proxied.call('Epost_contact_list', { iam: 'ana' }, { session: ana, headers: { 'x-forwarded-for': '203.0.113.7' } })).resp).toBe(1);
  });

  it('ignores the header from a peer that is not the proxy', async () => {
    const ana = await proxied.login('ana', { localAddress: OTHER_IP, headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(await proxied.call('Epost_contact_list', { iam: 'ana' }, { session: ana, headers: { 'x-forwarded-for': '203.0.113.7' } })).toEqual(NOT_LOGGED_IN);
    expect((await proxied.call('Epost_contact_list', { iam: 'ana' }, { session: ana, localAddress: OTHER_IP })).resp).toBe(1);
  });
});

describe('Q3 with a session open', () => {
  it('needs no session to log in, and the log-in ignores one', async () => {
    await t.register('henry');
    expect((await t.call('Epost_session_open', { iam: 'henry', pass: PASS, session: 'junk' })).resp).toBe(1);
    expect((await t.call('Epost_session_open', { iam: `henry::${DOMAIN}`, pass: PASS })).resp).toBe(1);
  });
});
