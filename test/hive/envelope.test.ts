// Profile §2: addresses (A1, A2) and the envelope (E1, E2, E3), by GET and by POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, METHODS, TestHive, type TestUser } from './helpers.js';

const BAD = { resp: -1.1 };

let t: TestHive;
beforeAll(async () => {
  t = await TestHive.start();
});
afterAll(() => t.close());

describe.each(METHODS)('by %s', (method) => {
  it('E1: a request without iam or w is -1.1', async () => {
    expect(await t.call('Epost_ping', {}, { method })).toEqual(BAD);
    const withoutW = method === 'GET' ? { method, query: '?iam=%22ana%22' } : { method, body: JSON.stringify({ iam: 'ana' }) };
    expect(await t.send(withoutW)).toEqual(BAD);
  });

  it.each([
    ['an empty string', ''],
    ['a space in the user', 'ana smith'],
    ['an empty domain', 'ana::'],
    ['no user', '::hive.pame.test'],
    ['a user starting with a dot', '.ana'],
    ['a user of 65 characters', 'a'.repeat(65)],
    ['a port in the domain', 'ana::hive.pame.test:80'],
    ['an underscore in the domain', 'ana::hive_x.pame.test'],
    ['a number', 7],
    ['null', null],
    ['an array', ['ana']],
  ])('E1: iam that is %s is -1.1', async (_, iam) => {
    expect(await t.call('Epost_ping', { iam }, { method })).toEqual(BAD);
  });

  it('E1: iam of 64 characters in any letter case is well-formed (A1)', async () => {
    expect((await t.call('Epost_ping', { iam: 'A'.repeat(64) + '::Other.Example' }, { method })).resp).toBe(1);
  });

  it.each(['Epost_pong', 'epost_ping', 'Epost_user_delete', 'Epost_chat_list', ''])('E2: w %j gets exactly {"resp":-1.1}', async (w) => {
    const exchange = await t.client.call(w, { iam: 'ana' }, { method });
    expect(exchange.reply?.bytes.toString()).toBe('{"resp":-1.1}');
  });

  it('E2: w that is not a string is -1.1', async () => {
    const query = '?w=1&iam=%22ana%22';
    expect(await t.send(method === 'GET' ? { method, query } : { method, body: '{"w":1,"iam":"ana"}' })).toEqual(BAD);
  });
});

describe('A1, A2, E3', () => {
  let ana: TestUser;
  beforeAll(async () => {
    ana = await t.user('ana');
    const bob = await t.user('bob');
    await t.register('carol');
    expect(await bob.call('Epost_contact_block', { contact: 'carol' })).toEqual({ resp: 1 });
  });

  it('A1, A2: a user is named bare, in full, and in any letter case', async () => {
    for (const iam of ['ana', 'ANA', `ana::${DOMAIN}`, `Ana::${DOMAIN.toUpperCase()}`]) {
      expect((await t.call('Epost_session_open', { iam, pass: 'correct horse battery' })).resp).toBe(1);
    }
    // And the session of `ana` is good for every way of writing her.
    expect((await t.call('Epost_contact_list', { iam: `ANA::${DOMAIN}` }, { session: ana.session })).resp).toBe(1);
  });

  it('A1: addresses in replies are in full and lower-case', async () => {
    expect(await ana.call('Epost_contact_add', { contact: 'BOB' })).toEqual({ resp: 1 });
    expect(await ana.call('Epost_contact_add', { contact: 'Zoe::Other.Example' })).toEqual({ resp: 1 });
    expect(await ana.call('Epost_contact_list')).toEqual({
      resp: 1,
      contacts: [
        { contact: `bob::${DOMAIN}`, blocked: false },
        { contact: 'zoe::other.example', blocked: false },
      ],
    });
  });

  it.each(METHODS)('E3: parts a code does not list are ignored by %s', async (method) => {
    expect(await t.call('Epost_ping', { iam: 'ana', session: 'x', to: ['bob'], extra: { a: [1, 2] } }, { method })).toEqual({ resp: 1, hive: DOMAIN, version: '0.2.1' });
  });

  it('E3: unlisted parts never change whom a request acts for', async () => {
    const list = await ana.call('Epost_contact_list', { user: 'bob', of: `bob::${DOMAIN}`, contact: 'bob', iam2: 'bob' });
    expect((list.contacts as { contact: string }[]).map((c) => c.contact)).not.toContain(`carol::${DOMAIN}`);
  });
});
