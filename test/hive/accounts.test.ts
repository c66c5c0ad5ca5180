// Profile Q2 (registration, A3, F4), Q3 (log-in) and R2 (uniform failures), by GET and by POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/hive/index.js';
import { DOMAIN, METHODS, PASS, TestHive } from './helpers.js';

const store = new MemoryStore();
let t: TestHive;
beforeAll(async () => {
  t = await TestHive.start({ store });
});
afterAll(() => t.close());

describe.each(METHODS)('Q2 Epost_user_register by %s', (method) => {
  const name = (base: string) => `${base}-${method.toLowerCase()}`;
  const register = (iam: unknown, pass: unknown, extra: Record<string, unknown> = {}) => t.call('Epost_user_register', { iam, pass, ...extra }, { method });

  it('registers a new user once; the name is then taken in any letter case', async () => {
    expect(await register(name('ana'), PASS)).toEqual({ resp: 1 });
    expect(await register(name('ana'), PASS)).toEqual({ resp: -1.304 });
    expect(await register(name('ANA'), 'another password')).toEqual({ resp: -1.304 });
    expect(await register(`${name('ana')}::${DOMAIN}`, PASS)).toEqual({ resp: -1.304 });
  });

  it('registers a user named in full in its own domain', async () => {
    expect(await register(`${name('bob')}::${DOMAIN.toUpperCase()}`, PASS)).toEqual({ resp: 1 });
    expect((await t.call('Epost_session_open', { iam: name('bob'), pass: PASS }, { method })).resp).toBe(1);
  });

  it.each(['psychocat', 'PsychoCat', `psychocat::${DOMAIN}`, 'psychocat::other.example'])('A3: refuses %s with -1.304', async (iam) => {
    expect(await register(iam, PASS)).toEqual({ resp: -1.304 });
  });

  it('refuses a user of another domain with -1.1', async () => {
    expect(await register(`${name('carol')}::other.example`, PASS)).toEqual({ resp: -1.1 });
  });

  it.each([
    ['7 characters', 'x'.repeat(7)],
    ['257 characters', 'x'.repeat(257)],
    ['257 characters outside the BMP', '😀'.repeat(257)],
    ['a number', 12345678],
    ['missing', undefined],
  ])('refuses a password of %s with -1.1', async (_, pass) => {
    expect(await register(name('dave'), pass)).toEqual({ resp: -1.1 });
  });

  it.each([
    ['8 characters', 'x'.repeat(8)],
    ['256 characters', 'y'.repeat(256)],
    // 256 characters are 512 UTF-16 units: characters are code points (T11).
    ['256 characters outside the BMP', '😀'.repeat(256)],
  ])('accepts a password of %s, and logs in with it', async (label, pass) => {
    const user = name(`eve-${label.length}-${String(pass).length}`);
    expect(await register(user, pass)).toEqual({ resp: 1 });
    expect((await t.call('Epost_session_open', { iam: user, pass }, { method })).resp).toBe(1);
  });

  it('F4: asks nothing personal, ignores such parts and keeps only the name and a hash', async () => {
    const user = name('frank');
    expect(await register(user, PASS, { phone: '+34 600 000 000', email: 'f@example.com', location: 'Madrid' })).toEqual({ resp: 1 });
    const record = store.user(user);
    expect(Object.keys(record ?? {}).sort()).toEqual(['cost', 'hash', 'name', 'salt']);
    expect(record?.hash.toString()).not.toContain(PASS);
  });
});

describe.each(METHODS)('Q3 Epost_session_open by %s', (method) => {
  const user = `gina-${method.toLowerCase()}`;
  beforeAll(() => t.register(user));
  const open = (iam: unknown, pass: unknown) => t.client.call('Epost_session_open', { iam, pass }, { method });

  it('opens a session with a key of at least 22 characters (U3)', async () => {
    const reply = (await open(user, PASS)).reply?.json as { resp: number; session: string };
    expect(Object.keys(reply).sort()).toEqual(['resp', 'session']);
    expect(reply.resp).toBe(1);
    expect(reply.session.length).toBeGreaterThanOrEqual(22);
  });

  it('R2: a wrong password, an unknown user, another domain and psychocat all get the same bytes', async () => {
    const failures = await Promise.all([
      open(user, 'wrong password'),
      open(user, PASS.toUpperCase()),
      open('nobody-at-all', PASS),
      open(`${user}::other.example`, PASS),
      open('psychocat', PASS),
    ]);
    for (const exchange of failures) expect(exchange.reply?.bytes.toString()).toBe('{"resp":-1.301}');
  });

  it('refuses a missing or non-string password with -1.1', async () => {
    expect((await open(user, undefined)).reply?.json).toEqual({ resp: -1.1 });
    expect((await open(user, 12345678)).reply?.json).toEqual({ resp: -1.1 });
  });
});
