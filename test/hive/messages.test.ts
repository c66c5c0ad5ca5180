// Profile Q5 (with M1–M4), Q6, Q7 (with E4), §6 (G1), T5 and T9, by GET and by POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, METHODS, TestHive, type Reply, type TestUser } from './helpers.js';

const BAD = { resp: -1.1 };
const NOT_A_CONTACT = { resp: -3.3 };
const NOT_WELCOME = { resp: -3.4 };
const NO_CONVERSATION = { resp: -3.2 };
const NOW = '2026-11-25T08:30:00.000Z';
const MESSAGE_MEMBERS = ['body', 'conv', 'date', 'format', 'from', 'ip', 'msg', 'subject', 'to'];

let t: TestHive;
let counter = 0;
beforeAll(async () => {
  // Remote domains lead to a closed port: relays fail at once, and the sender never hears of it (M3).
  t = await TestHive.start({ tamper: { clock: () => Date.parse(NOW) }, resolve: { 'other.example': 'http://127.0.0.1:9/' } });
});
afterAll(() => t.close());

/** Fresh users for one test, so tests do not share mailboxes. */
async function users(method: (typeof METHODS)[number], ...names: string[]): Promise<TestUser[]> {
  const run = ++counter;
  return Promise.all(names.map((name) => t.user(`${name}-${run}`, { method })));
}

describe.each(METHODS)('Q5 Epost_msg_send by %s', (method) => {
  it('delivers to a local recipient at once; the reply is conv and msg, the Message is §6 exactly', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    const sent = await ana!.send([bob!.name], 'hello bob', { subject: 'hi' });
    expect(Object.keys(sent).sort()).toEqual(['conv', 'msg', 'resp']);
    expect(sent.resp).toBe(1);
    const [message, ...more] = await bob!.takeNew();
    expect(more).toEqual([]);
    expect(Object.keys(message!).sort()).toEqual(MESSAGE_MEMBERS);
    expect(message).toEqual({
      msg: sent.msg,
      conv: sent.conv,
      from: ana!.address,
      to: [bob!.address],
      date: NOW,
      ip: '127.0.0.1',
      subject: 'hi',
      format: 'plain',
      body: 'hello bob',
    });
  });

  it('writes "" for an absent subject, and keeps the bbcode format', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    expect((await ana!.send([bob!.name], '[b]bold[/b] [url=https://example.org]link[/url]', { format: 'bbcode' })).resp).toBe(1);
    expect(await bob!.takeNew()).toMatchObject([{ subject: '', format: 'bbcode', body: '[b]bold[/b] [url=https://example.org]link[/url]' }]);
  });

  it('T5: round-trips any Unicode scalar value unchanged, without NFC', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    const text = 'e\u0301 \u00e9 😀 \u{10ffff} \u0000\u001f "quoted" \\ +plus+ %41 &amp; ä漢字 \u200d\ufeff';
    expect((await ana!.send([bob!.name], text, { subject: text })).resp).toBe(1);
    expect(await bob!.takeNew()).toMatchObject([{ subject: text, body: text }]);
  });

  it('T11: a subject of 200 characters is accepted, counted in code points', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    expect((await ana!.send([bob!.name], 'x', { subject: '😀'.repeat(200) })).resp).toBe(1);
    expect(await ana!.send([bob!.name], 'x', { subject: 'x'.repeat(201) })).toEqual(BAD);
  });

  it.each([
    ['to missing', { to: undefined }],
    ['to a string', { to: 'bob' }],
    ['to empty', { to: [] }],
    ['to of 51 addresses', { to: Array.from({ length: 51 }, (_, i) => `user${i}::other.example`) }],
    ['to holding a number', { to: ['bob', 7] }],
    ['body missing', { body: undefined }],
    ['body a number', { body: 7 }],
    ['subject a number', { subject: 7 }],
    ['subject null', { subject: null }],
    ['format html', { format: 'html' }],
    ['format null', { format: null }],
  ])('refuses %s with -1.1', async (_, change) => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    expect(await ana!.call('Epost_msg_send', { to: [bob!.name], body: 'hi', ...change })).toEqual(BAD);
    expect(await bob!.takeNew()).toEqual([]);
  });

  it('accepts 50 recipients', async () => {
    const [ana] = await users(method, 'ana');
    expect((await ana!.send(Array.from({ length: 50 }, (_, i) => `user${i}::other.example`))).resp).toBe(1);
  });

  it.each([
    ['an HTML tag', '<b>bold</b>'],
    ['a closing tag', 'x</p>'],
    ['a comment', '<!-- x -->'],
    ['a processing instruction', '<?xml version="1.0"?>'],
    ['a script', '<script>alert(1)</script>'],
  ])('M1: refuses %s in body or subject, in either format', async (_, html) => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    for (const format of ['plain', 'bbcode']) {
      expect(await ana!.send([bob!.name], html, { format })).toEqual(BAD);
      expect(await ana!.send([bob!.name], 'ok', { format, subject: html })).toEqual(BAD);
    }
    expect(await bob!.takeNew()).toEqual([]);
  });

  it('M1: "<" before no letter, /, ! or ? is plain text', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    expect((await ana!.send([bob!.name], 'a < b, 1<2, <3 and < /', { subject: 'a < b' })).resp).toBe(1);
  });

  it.each([
    ['[url=javascript:alert(1)]x[/url]'],
    ['[url]javascript:alert(1)[/url]'],
    ['[URL="JavaScript:alert(1)"]x[/URL]'],
    ['[img]data:image/png;base64,AAAA[/img]'],
    ['[url=vbscript:msgbox(1)]x[/url]'],
    ['[url= \'javascript :x\']y[/url]'],
  ])('M2: refuses %s in body or subject, in either format', async (script) => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    for (const format of ['plain', 'bbcode']) {
      expect(await ana!.send([bob!.name], script, { format })).toEqual(BAD);
      expect(await ana!.send([bob!.name], 'ok', { format, subject: script })).toEqual(BAD);
    }
  });

  it('M2: checks a 256 KiB body of unclosed tags in linear time', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    const started = Date.now();
    // With the M2 pattern scanning from every "[url" to the next "]", this took over 20 s.
    expect((await ana!.send([bob!.name], '[url'.repeat(40_000), { format: 'bbcode' }, { method: 'POST' })).resp).toBe(1);
    expect(await ana!.send([bob!.name], '[img'.repeat(40_000) + ']javascript:x', { format: 'bbcode' }, { method: 'POST' })).toEqual(BAD);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('M2: the words outside a url or img tag are text', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    expect((await ana!.send([bob!.name], 'javascript: the language; data: the plural', { format: 'bbcode' })).resp).toBe(1);
  });

  it('-3.3 for a malformed address or an unknown local user; nothing is delivered to anyone then', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    for (const bad of ['bad address', 'nobody-here', `nobody-here::${DOMAIN}`, 'x::', 'x::bad_domain']) {
      expect(await ana!.send([bob!.name, bad])).toEqual(NOT_A_CONTACT);
    }
    expect(await bob!.takeNew()).toEqual([]);
  });

  it('-3.4 when a recipient blocked the sender; nothing is delivered to anyone then', async () => {
    const [ana, bob, carol] = await users(method, 'ana', 'bob', 'carol');
    expect(await carol!.call('Epost_contact_block', { contact: ana!.address })).toEqual({ resp: 1 });
    expect(await ana!.send([bob!.name, carol!.name])).toEqual(NOT_WELCOME);
    expect(await bob!.takeNew()).toEqual([]);
    // A malformed address wins over a block: -3.3 is about the request itself.
    expect(await ana!.send([carol!.name, 'bad address'])).toEqual(NOT_A_CONTACT);
  });

  it('A3: psychocat of the own domain is a valid recipient, and its mail is readable by no one', async () => {
    const [ana] = await users(method, 'ana');
    expect((await ana!.send([`psychocat::${DOMAIN}`], 'spam report')).resp).toBe(1);
    expect((await ana!.send(['PSYCHOCAT'], 'spam report')).resp).toBe(1);
    expect(await t.call('Epost_session_open', { iam: 'psychocat', pass: 'anything at all' }, { method })).toEqual({ resp: -1.301 });
  });

  it('M3: a remote address is checked only for its form, and no failure comes back', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    const sent = await ana!.send([bob!.name, 'zoe::other.example', 'yves::unmapped.example']);
    expect(sent.resp).toBe(1);
    expect(await bob!.takeNew()).toMatchObject([{ to: [bob!.address, 'zoe::other.example', 'yves::unmapped.example'] }]);
  });

  it('collapses an address given twice, however written', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    expect((await ana!.send([bob!.name, bob!.name.toUpperCase(), bob!.address])).resp).toBe(1);
    const received = await bob!.takeNew();
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual([bob!.address]);
  });

  it('G1: ip is the sender\'s client IP', async () => {
    const [bob] = await users(method, 'bob');
    const away = await t.user(`ana-away-${++counter}`, { method, localAddress: '127.0.0.2' });
    expect((await away.send([bob!.name])).resp).toBe(1);
    expect(await bob!.takeNew()).toMatchObject([{ ip: '127.0.0.2' }]);
  });

  it('reads "+" in a GET part as a space', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    const query = `?w=%22Epost_msg_send%22&iam=%22${ana!.name}%22&session=%22${ana!.session}%22&to=%5B%22${bob!.name}%22%5D&body=%22a+b%22`;
    expect((await t.send({ method: 'GET', query })).resp).toBe(1);
    expect(await bob!.takeNew()).toMatchObject([{ body: 'a b' }]);
  });
});

describe.each(METHODS)('M4 conversations by %s', (method) => {
  it('puts messages among the same participants in one conv, whoever sends and in whatever order', async () => {
    const [ana, bob, carol] = await users(method, 'ana', 'bob', 'carol');
    const first = await ana!.send([bob!.name, carol!.name]);
    const second = await bob!.send([carol!.address, ana!.name]);
    const third = await carol!.send([ana!.name.toUpperCase(), bob!.name, bob!.name]);
    expect(second.conv).toBe(first.conv);
    expect(third.conv).toBe(first.conv);
    expect(new Set([first.msg, second.msg, third.msg]).size).toBe(3);
  });

  it('gives another set of participants another conv', async () => {
    const [ana, bob, carol] = await users(method, 'ana', 'bob', 'carol');
    const pair = await ana!.send([bob!.name]);
    const trio = await ana!.send([bob!.name, carol!.name]);
    const reverse = await bob!.send([ana!.name]);
    const toSelf = await ana!.send([ana!.name]);
    expect(reverse.conv).toBe(pair.conv);
    expect(new Set([pair.conv, trio.conv, toSelf.conv]).size).toBe(3);
  });
});

describe.each(METHODS)('Q6 Epost_conv_new by %s', (method) => {
  it('hands out new messages newest first, once; 0 when there are none', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    expect(await bob!.call('Epost_conv_new')).toEqual({ resp: 0 });
    for (const body of ['one', 'two', 'three']) await ana!.send([bob!.name], body);
    expect((await bob!.takeNew()).map((m) => m.body)).toEqual(['three', 'two', 'one']);
    expect(await bob!.call('Epost_conv_new')).toEqual({ resp: 0 });
  });

  it('does not count the user\'s own messages as new, unless the user is also a recipient', async () => {
    const [ana, bob] = await users(method, 'ana', 'bob');
    await ana!.send([bob!.name], 'to bob');
    expect(await ana!.takeNew()).toEqual([]);
    await ana!.send([bob!.name, ana!.name], 'to both');
    expect((await ana!.takeNew()).map((m) => m.body)).toEqual(['to both']);
  });

  it('with conv, retrieves only that conversation and leaves the others new', async () => {
    const [ana, bob, carol] = await users(method, 'ana', 'bob', 'carol');
    const pair = await ana!.send([bob!.name], 'pair');
    await carol!.send([bob!.name], 'other');
    expect((await bob!.takeNew({ conv: pair.conv })).map((m) => m.body)).toEqual(['pair']);
    expect((await bob!.takeNew()).map((m) => m.body)).toEqual(['other']);
  });

  it('-3.2 for a conv the user is not in or that does not exist, the same reply for both', async () => {
    const [ana, bob, carol] = await users(method, 'ana', 'bob', 'carol');
    const pair = await ana!.send([bob!.name]);
    const notIn = await t.client.call('Epost_conv_new', { iam: carol!.name, conv: pair.conv }, { method, session: carol!.session });
    const missing = await t.client.call('Epost_conv_new', { iam: carol!.name, conv: 'no-such-conv' }, { method, session: carol!.session });
    expect(notIn.reply?.bytes.toString()).toBe(JSON.stringify(NO_CONVERSATION));
    expect(missing.reply?.bytes).toEqual(notIn.reply?.bytes);
    expect(await carol!.call('Epost_conv_new', { conv: 7 })).toEqual(BAD);
  });
});

describe.each(METHODS)('Q7 Epost_conv_old by %s (E4)', (method) => {
  let ana: TestUser;
  let bob: TestUser;
  let conv: string;
  const page = async (parts: Record<string, unknown>): Promise<Reply> => bob.call('Epost_conv_old', { conv, ...parts });
  const bodies = (reply: Reply) => (reply.msgs as Reply[]).map((m) => m.body);

  beforeAll(async () => {
    [ana, bob] = (await users(method, 'ana', 'bob')) as [TestUser, TestUser];
    for (let i = 0; i < 105; i++) conv = (await (i % 2 ? bob : ana).send([i % 2 ? ana.name : bob.name], `m${i}`)).conv as string;
  });

  it('pages through the conversation newest first: 0/0 is the default page of 20', async () => {
    const first = await page({});
    expect(bodies(first)).toEqual(Array.from({ length: 20 }, (_, i) => `m${104 - i}`));
    expect(await page({ start: 0, limit: 0 })).toEqual(first);
    expect(bodies(await page({ start: 20, limit: 5 }))).toEqual(['m84', 'm83', 'm82', 'm81', 'm80']);
    expect(bodies(await page({ start: 104, limit: 10 }))).toEqual(['m0']);
  });

  it('serves a limit above 100 as 100', async () => {
    expect(bodies(await page({ limit: 101 }))).toHaveLength(100);
    expect(bodies(await page({ limit: 1e9 }))).toHaveLength(100);
  });

  it('answers 0 past the end', async () => {
    expect(await page({ start: 105 })).toEqual({ resp: 0 });
    expect(await page({ start: 1e12 })).toEqual({ resp: 0 });
  });

  it.each([
    ['a negative start', { start: -1 }],
    ['a fractional start', { start: 1.5 }],
    ['a string start', { start: '5' }],
    ['a null limit', { limit: null }],
    ['a negative limit', { limit: -20 }],
    ['a fractional limit', { limit: 0.5 }],
    ['a boolean limit', { limit: true }],
    ['no conv', { conv: undefined }],
    ['a numeric conv', { conv: 7 }],
  ])('refuses %s with -1.1', async (_, parts) => {
    expect(await page(parts)).toEqual(BAD);
  });

  it('retrieves nothing: new messages stay new', async () => {
    const [carol, dave] = await users(method, 'carol', 'dave');
    const sent = await carol!.send([dave!.name], 'still new');
    expect(bodies(await dave!.call('Epost_conv_old', { conv: sent.conv }))).toEqual(['still new']);
    expect((await dave!.takeNew()).map((m) => m.body)).toEqual(['still new']);
  });

  it('gives messages as §6 with conv, and shows the sender their own messages', async () => {
    const reply = await ana.call('Epost_conv_old', { conv, limit: 2 });
    expect((reply.msgs as Reply[]).map((m) => Object.keys(m).sort())).toEqual([MESSAGE_MEMBERS, MESSAGE_MEMBERS]);
    expect((reply.msgs as Reply[]).map((m) => m.from)).toEqual([ana.address, bob.address]);
  });

  it('-3.2 for a conv the user is not in or that does not exist', async () => {
    const [carol] = await users(method, 'carol');
    expect(await carol!.call('Epost_conv_old', { conv })).toEqual(NO_CONVERSATION);
    expect(await carol!.call('Epost_conv_old', { conv: 'no-such-conv' })).toEqual(NO_CONVERSATION);
  });
});

describe('T9: dates', () => {
  it('writes the injected clock as RFC 3339 in UTC with Z', async () => {
    const [ana, bob] = await users('POST', 'ana', 'bob');
    await ana!.send([bob!.name]);
    const [message] = await bob!.takeNew();
    expect(message!.date).toBe(NOW);
    expect(message!.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });
});
