// Profile Q8 and Q9 (with F1: only the session user's own directory), by GET and by POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, METHODS, TestHive, type TestUser } from './helpers.js';

const OK = { resp: 1 };
const NOT_A_CONTACT = { resp: -3.3 };
let t: TestHive;
let counter = 0;
beforeAll(async () => {
  t = await TestHive.start();
});
afterAll(() => t.close());

async function users(method: (typeof METHODS)[number], ...names: string[]): Promise<TestUser[]> {
  const run = ++counter;
  return Promise.all(names.map((name) => t.user(`${name}-${run}`, { method })));
}

const list = async (user: TestUser) => (await user.call('Epost_contact_list')).contacts;

describe.each(METHODS)('Q8, Q9 by %s', (method) => {
  it('starts with an empty directory', async () => {
    const [ana] = await users(method, 'ana');
    expect(await ana!.call('Epost_contact_list')).toEqual({ resp: 1, contacts: [] });
  });

  it('adds local users (any spelling), remote addresses and psychocat, written in full and lower-case', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    for (const contact of [bob!.name.toUpperCase(), 'Zoe::Other.Example', `psychocat::${DOMAIN}`, 'psychocat::other.example']) {
      expect(await ana!.call('Epost_contact_add', { contact })).toEqual(OK);
    }
    // Adding again changes nothing.
    expect(await ana!.call('Epost_contact_add', { contact: bob!.address })).toEqual(OK);
    expect(await list(ana!)).toEqual([
      { contact: bob!.address, blocked: false },
      { contact: 'zoe::other.example', blocked: false },
      { contact: `psychocat::${DOMAIN}`, blocked: false },
      { contact: 'psychocat::other.example', blocked: false },
    ]);
  });

  it.each(['Epost_contact_add', 'Epost_contact_block'] as const)('%s: -3.3 for a malformed address or an unknown local user', async (code) => {
    const [ana] = await users(method, 'ana');
    for (const contact of ['not an address', 'x::', '::y', 'nobody-here', `nobody-here::${DOMAIN}`]) {
      expect(await ana!.call(code, { contact })).toEqual(NOT_A_CONTACT);
    }
    expect(await list(ana!)).toEqual([]);
  });

  it.each(['Epost_contact_add', 'Epost_contact_block', 'Epost_contact_remove'] as const)('%s: -1.1 without a contact string', async (code) => {
    const [ana] = await users(method, 'ana');
    expect(await ana!.call(code, {})).toEqual({ resp: -1.1 });
    expect(await ana!.call(code, { contact: 7 })).toEqual({ resp: -1.1 });
  });

  it('block makes the blocked address\'s messages fail with -3.4, adding it when absent', async () => {
    const [ana, bob, carol] = await users(method, 'ana', 'bob', 'carol');
    expect(await ana!.call('Epost_contact_block', { contact: bob!.name })).toEqual(OK);
    expect(await list(ana!)).toEqual([{ contact: bob!.address, blocked: true }]);
    expect(await bob!.send([ana!.name])).toEqual({ resp: -3.4 });
    // Only the blocked address: others still reach her.
    expect((await carol!.send([ana!.name])).resp).toBe(1);
    // Blocking an entry already there turns it blocked in place.
    expect(await ana!.call('Epost_contact_add', { contact: carol!.name })).toEqual(OK);
    expect(await ana!.call('Epost_contact_block', { contact: carol!.address })).toEqual(OK);
    expect(await list(ana!)).toEqual([
      { contact: bob!.address, blocked: true },
      { contact: carol!.address, blocked: true },
    ]);
  });

  it('blocks remote addresses by form', async () => {
    const [ana] = await users(method, 'ana');
    expect(await ana!.call('Epost_contact_block', { contact: 'spammer::other.example' })).toEqual(OK);
    expect(await list(ana!)).toEqual([{ contact: 'spammer::other.example', blocked: true }]);
  });

  it('add leaves a blocked entry blocked: only remove unblocks', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    await ana!.call('Epost_contact_block', { contact: bob!.name });
    expect(await ana!.call('Epost_contact_add', { contact: bob!.name })).toEqual(OK);
    expect(await list(ana!)).toEqual([{ contact: bob!.address, blocked: true }]);
  });

  it('remove takes the address off and unblocks it; 0 when it was not there', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    await ana!.call('Epost_contact_block', { contact: bob!.name });
    expect(await ana!.call('Epost_contact_remove', { contact: bob!.name.toUpperCase() })).toEqual(OK);
    expect(await list(ana!)).toEqual([]);
    expect((await bob!.send([ana!.name])).resp).toBe(1);
    expect(await ana!.call('Epost_contact_remove', { contact: bob!.name })).toEqual({ resp: 0 });
    expect(await ana!.call('Epost_contact_remove', { contact: 'nobody-here' })).toEqual({ resp: 0 });
    expect(await ana!.call('Epost_contact_remove', { contact: 'not an address' })).toEqual(NOT_A_CONTACT);
  });

  it('Q9, F1: lists the session user\'s own directory only', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    await ana!.call('Epost_contact_block', { contact: 'secret::other.example' });
    await bob!.call('Epost_contact_add', { contact: ana!.name });
    expect(await list(bob!)).toEqual([{ contact: ana!.address, blocked: false }]);
    expect(await bob!.call('Epost_contact_list', { contact: ana!.name, user: ana!.name, of: ana!.address })).toEqual({ resp: 1, contacts: [{ contact: ana!.address, blocked: false }] });
  });
});
