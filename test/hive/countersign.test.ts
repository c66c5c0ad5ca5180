// Profile §7 (countersign, C1–C5), Q10, Q11, M3 and §6 for relayed messages.
// Two reference Hives on loopback (alpha, beta) reach each other through their
// domain maps; a scripted peer plays gamma and delta, the Hives whose side of
// the exchange a test needs to see or to fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/generated/schemas.js';
import { DEFAULT_FETCH_TIMEOUT_MS } from '../../src/hive/options.js';
import { eventually, METHODS, ScriptedPeer, TestHive, type Reply, type TestUser } from './helpers.js';

const ALPHA = 'alpha.pame.test';
const BETA = 'beta.pame.test';
const GAMMA = 'gamma.pame.test';
const DELTA = 'delta.pame.test';
const NOW = Date.parse('2026-11-25T08:30:00Z');
const TEN_MINUTES = 10 * 60_000;

let peer: ScriptedPeer;
let alpha: TestHive;
let beta: TestHive;
let alphaClock = NOW;
let counter = 0;

beforeAll(async () => {
  peer = await ScriptedPeer.start();
  [alpha, beta] = (await TestHive.network([{ domain: ALPHA, tamper: { clock: () => alphaClock } }, { domain: BETA }], {
    [GAMMA]: peer.baseUrl('gamma'),
    [DELTA]: peer.baseUrl('delta'),
  })) as [TestHive, TestHive];
});
afterAll(async () => {
  await Promise.all([alpha.close(), beta.close()]);
  await peer.close();
});

/** A fresh user on a Hive, sending from `localAddress` when given. */
async function userOn(hive: TestHive, name: string, localAddress?: string): Promise<TestUser> {
  return hive.user(`${name}-${++counter}`, localAddress ? { localAddress } : {});
}

/** Waits for the messages Epost_conv_new hands `user`. */
function received(user: TestUser): Promise<Reply[]> {
  return eventually(async () => {
    const msgs = await user.takeNew();
    return msgs.length > 0 ? msgs : undefined;
  });
}

/** Waits for the relay alpha sends the scripted peer `name`, and returns its ticket. */
function relayedTicket(name: string, since: number): Promise<string> {
  return eventually(async () => peer.requestsTo(name, 'Epost_msg_relay').slice(since)[0]?.parts.ticket as string | undefined);
}

describe('between two reference Hives', () => {
  it('M3, §6: a user on alpha writes to a user on beta, who reads it with alpha\'s date and the sender\'s ip', async () => {
    const mark = await userOn(alpha, 'mark', '127.0.0.2');
    const bob = await userOn(alpha, 'bob');
    const ana = await userOn(beta, 'ana');
    const sent = await mark.send([`${ana.name}::${BETA}`, bob.name], 'across the network', { subject: 'hello' });
    expect(sent.resp).toBe(1);

    const [local] = await bob.takeNew();
    const [remote, ...more] = await received(ana);
    expect(more).toEqual([]);
    expect(local).toMatchObject({ date: new Date(NOW).toISOString(), ip: '127.0.0.2' });
    expect(remote).toEqual({
      msg: remote!.msg,
      conv: remote!.conv,
      from: `${mark.name}::${ALPHA}`,
      to: [`${ana.name}::${BETA}`, `${bob.name}::${ALPHA}`],
      date: local!.date,
      ip: '127.0.0.2',
      subject: 'hello',
      format: 'plain',
      body: 'across the network',
    });
    // The conversation is beta's own.
    expect((await ana.call('Epost_conv_old', { conv: remote!.conv })).msgs).toEqual([remote]);
  });

  it('M4: the answer travels back and joins the same conversation on alpha', async () => {
    const mark = await userOn(alpha, 'mark');
    const ana = await userOn(beta, 'ana');
    const first = await mark.send([`${ana.name}::${BETA}`], 'question');
    const [question] = await received(ana);
    expect((await ana.send([question!.from as string], 'answer')).conv).toBe(question!.conv);
    const [answer] = await received(mark);
    expect(answer).toMatchObject({ conv: first.conv, from: `${ana.name}::${BETA}`, body: 'answer' });
  });

  it('C2, C3: a relay claiming alpha with a ticket alpha never issued is not delivered', async () => {
    const ana = await userOn(beta, 'ana');
    const mark = await userOn(alpha, 'mark');
    // A real message exists, so a guess at a ticket has something to aim at.
    await mark.send([`${ana.name}::${BETA}`], 'genuine');
    await received(ana);
    const forged = { iam: `psychocat::${ALPHA}`, ticket: 'forged-ticket-0000000000000000', from: `${mark.name}::${ALPHA}`, to: [`${ana.name}::${BETA}`], body: 'forged' };
    expect(await beta.call('Epost_msg_relay', forged)).toEqual({ resp: 0 });
    expect(await ana.takeNew()).toEqual([]);
  });

  it('C2: a ticket issued by another Hive, relayed in alpha\'s name, is fetched from alpha only and not delivered', async () => {
    const ana = await userOn(beta, 'ana');
    const fetchesBefore = peer.requestsTo('gamma', 'Epost_msg_fetch').length;
    peer.answer = () => ({ body: { resp: 1, msg: { msg: 'x', from: `mallory::${ALPHA}`, to: [`${ana.name}::${BETA}`], date: '2026-11-25T08:30:00Z', ip: '203.0.113.66', subject: '', format: 'plain', body: 'fake' } } });
    const relay = { iam: `psychocat::${ALPHA}`, ticket: 'gamma-issued-ticket', url: peer.baseUrl('gamma'), baseUrl: peer.baseUrl('gamma'), hive: peer.baseUrl('gamma') };
    expect(await beta.call('Epost_msg_relay', relay, { localAddress: '127.0.0.2' })).toEqual({ resp: 0 });
    expect(peer.requestsTo('gamma', 'Epost_msg_fetch').length).toBe(fetchesBefore);
    expect(await ana.takeNew()).toEqual([]);
  });
});

describe('the sending Hive (alpha), with gamma and delta scripted', () => {
  let mark: TestUser;
  let sent: Reply;
  let ticket: string;

  beforeAll(async () => {
    mark = await userOn(alpha, 'mark');
    const since = peer.requestsTo('gamma', 'Epost_msg_relay').length;
    sent = await mark.send([`zoe::${GAMMA}`, `zed::${GAMMA}`, `yan::${DELTA}`, `ana::${BETA}`], 'for the network');
    ticket = await relayedTicket('gamma', since);
  });

  it('M3: relays once per remote domain, as psychocat, with nothing but a ticket', async () => {
    const ticketToDelta = await relayedTicket('delta', 0);
    const relays = peer.requests.filter((r) => r.parts.w === 'Epost_msg_relay' && (r.parts.ticket === ticket || r.parts.ticket === ticketToDelta));
    expect(relays.map((r) => r.path).sort()).toEqual(['/delta/', '/gamma/']);
    for (const relay of relays) expect(relay.parts).toEqual({ w: 'Epost_msg_relay', iam: `psychocat::${ALPHA}`, ticket: relay.parts.ticket });
    expect(ticketToDelta).not.toBe(ticket);
  });

  it('C5: tickets carry at least 128 random bits, base64url', () => {
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });

  it.each(METHODS)('Q11: hands the Message to a recipient domain\'s psychocat, by %s', async (method) => {
    const reply = await alpha.call('Epost_msg_fetch', { iam: `psychocat::${GAMMA}`, ticket }, { method });
    expect(reply).toEqual({
      resp: 1,
      msg: {
        msg: sent.msg,
        from: `${mark.name}::${ALPHA}`,
        to: [`zoe::${GAMMA}`, `zed::${GAMMA}`, `yan::${DELTA}`, `ana::${BETA}`],
        date: new Date(NOW).toISOString(),
        ip: '127.0.0.1',
        subject: '',
        format: 'plain',
        body: 'for the network',
      },
    });
  });

  it('Q11: also to any other recipient domain (the message has a recipient there)', async () => {
    expect((await alpha.call('Epost_msg_fetch', { iam: `PsychoCat::${DELTA.toUpperCase()}`, ticket })).resp).toBe(1);
  });

  it('C5: 0, the same bytes, to a Hive that is no recipient domain and for a ticket never issued, however long', async () => {
    const zeros = await Promise.all([
      alpha.client.call('Epost_msg_fetch', { iam: 'psychocat::omega.pame.test', ticket }),
      alpha.client.call('Epost_msg_fetch', { iam: `psychocat::${ALPHA}`, ticket }),
      alpha.client.call('Epost_msg_fetch', { iam: `psychocat::${GAMMA}`, ticket: ticket + 'x' }),
      alpha.client.call('Epost_msg_fetch', { iam: `psychocat::${GAMMA}`, ticket: 'x'.repeat(10_000) }),
    ]);
    for (const exchange of zeros) expect(exchange.reply?.bytes.toString()).toBe('{"resp":0}');
  });

  it.each([
    ['iam a user, not psychocat', { iam: `zoe::${GAMMA}` }],
    ['iam a bare psychocat', { iam: 'psychocat' }],
    ['an empty ticket', { ticket: '' }],
    ['a numeric ticket', { ticket: 7 }],
    ['no ticket', { ticket: undefined }],
  ])('Q11: -1.1 for %s', async (_, change) => {
    expect(await alpha.call('Epost_msg_fetch', { iam: `psychocat::${GAMMA}`, ticket, ...change })).toEqual({ resp: -1.1 });
  });

  it('Q11: a ticket lives 10 minutes', async () => {
    alphaClock = NOW + TEN_MINUTES - 1_000;
    expect((await alpha.call('Epost_msg_fetch', { iam: `psychocat::${GAMMA}`, ticket })).resp).toBe(1);
    alphaClock = NOW + TEN_MINUTES + 1_000;
    expect(await alpha.call('Epost_msg_fetch', { iam: `psychocat::${GAMMA}`, ticket })).toEqual({ resp: 0 });
    alphaClock = NOW;
  });
});

describe('the receiving Hive (beta), with gamma scripted as the sender', () => {
  let ana: TestUser;
  let bob: TestUser;
  let tickets = 0;
  const message = (overrides: Partial<Message> = {}): Message => ({
    msg: 'gamma-msg-1',
    from: `zoe::${GAMMA}`,
    to: [`${ana.name}::${BETA}`],
    date: '2026-11-24T23:59:59.123Z',
    ip: '2001:db8::7',
    subject: 'from gamma',
    format: 'plain',
    body: 'relayed',
    ...overrides,
  } as Message);

  /** gamma relays a new ticket to beta and answers its fetch with `answer`; returns the relay's reply and the ticket. */
  async function relay(answer: ScriptedPeer['answer'], parts: Record<string, unknown> = {}, ticket = `ticket-${++tickets}`) {
    peer.answer = answer;
    const reply = await beta.call('Epost_msg_relay', { iam: `psychocat::${GAMMA}`, ticket, ...parts });
    return { reply, ticket };
  }
  const serve = (msg: unknown): ScriptedPeer['answer'] => () => ({ body: { resp: 1, msg } });

  beforeAll(async () => {
    ana = await userOn(beta, 'ana');
    bob = await userOn(beta, 'bob');
  });

  it('Q10, C2: fetches from the base URL of the relaying domain as psychocat, then delivers with date and ip kept and a local id', async () => {
    const before = peer.requestsTo('gamma', 'Epost_msg_fetch').length;
    const { reply, ticket } = await relay(serve(message()));
    expect(reply).toEqual({ resp: 1 });
    expect(peer.requestsTo('gamma', 'Epost_msg_fetch').slice(before)).toEqual([
      { path: '/gamma/', method: 'POST', parts: { w: 'Epost_msg_fetch', iam: `psychocat::${BETA}`, ticket } },
    ]);
    const [delivered] = await ana.takeNew();
    const { msg, conv, ...content } = delivered!;
    expect(content).toEqual({ from: `zoe::${GAMMA}`, to: [`${ana.name}::${BETA}`], date: '2026-11-24T23:59:59.123Z', ip: '2001:db8::7', subject: 'from gamma', format: 'plain', body: 'relayed' });
    expect(msg).not.toBe('gamma-msg-1');
    expect(conv).toEqual(expect.any(String));
  });

  it('Q10: a ticket relayed again is fetched again but delivered once', async () => {
    const { ticket } = await relay(serve(message({ body: 'once' })));
    const fetches = peer.requestsTo('gamma', 'Epost_msg_fetch').length;
    expect((await relay(serve(message({ body: 'once' })), {}, ticket)).reply).toEqual({ resp: 1 });
    expect(peer.requestsTo('gamma', 'Epost_msg_fetch').length).toBe(fetches + 1);
    expect((await ana.takeNew()).map((m) => m.body)).toEqual(['once']);
  });

  it('Q10: the same ticket string from another domain is another message', async () => {
    const { ticket } = await relay(serve(message({ body: 'from gamma' })));
    peer.answer = serve(message({ from: `yan::${DELTA}`, body: 'from delta' }));
    expect(await beta.call('Epost_msg_relay', { iam: `psychocat::${DELTA}`, ticket })).toEqual({ resp: 1 });
    expect((await ana.takeNew()).map((m) => m.body)).toEqual(['from delta', 'from gamma']);
  });

  it('C1: message data in step 1 is ignored', async () => {
    const step1 = { from: `boss::${BETA}`, to: [`${bob.name}::${BETA}`], body: 'step 1 body', subject: 'step 1', date: '2000-01-01T00:00:00Z', ip: '192.0.2.1', msg: 'step-1' };
    expect((await relay(serve(message()), step1)).reply).toEqual({ resp: 1 });
    expect(await bob.takeNew()).toEqual([]);
    expect(await ana.takeNew()).toMatchObject([{ from: `zoe::${GAMMA}`, body: 'relayed', ip: '2001:db8::7' }]);
  });

  it.each([
    ['resp 0', () => ({ body: { resp: 0 } })],
    ['status 500 with a Message', () => ({ status: 500, body: { resp: 1, msg: message() } })],
    ['a redirect to a URL that would answer', () => ({ status: 302, headers: { location: peer.baseUrl('delta') }, body: { resp: 0 } })],
    ['a reply that is not JSON', () => ({ body: '<html>ok</html>' })],
    ['resp 1 without msg', () => ({ body: { resp: 1 } })],
    ['an extra member', () => ({ body: { resp: 1, msg: { ...message(), read: true } } })],
    ['HTML in the body (M1)', () => ({ body: { resp: 1, msg: message({ body: '<b>x</b>' }) } })],
    ['a script URL in the subject (M2)', () => ({ body: { resp: 1, msg: message({ subject: '[url=javascript:x]y[/url]' }) } })],
    ['no ip', () => ({ body: { resp: 1, msg: { ...message(), ip: undefined } } })],
    ['an ip that is no IP', () => ({ body: { resp: 1, msg: message({ ip: 'localhost' }) } })],
    ['a date not in UTC with Z', () => ({ body: { resp: 1, msg: message({ date: '2026-11-25T08:30:00+01:00' }) } })],
    ['an empty to', () => ({ body: { resp: 1, msg: message({ to: [] as unknown as Message['to'] }) } })],
    ['an upper-case from', () => ({ body: { resp: 1, msg: message({ from: `Zoe::${GAMMA}` }) } })],
    ['a lone surrogate in the body', () => ({ body: `{"resp":1,"msg":${JSON.stringify(message()).replace('"relayed"', '"\\ud800"')}}` })],
  ] as [string, ScriptedPeer['answer']][])('C3: %s from step 2 is not a confirmation: 0, nothing delivered', async (_, answer) => {
    const before = peer.requestsTo('delta').length;
    expect((await relay(answer)).reply).toEqual({ resp: 0 });
    expect(await ana.takeNew()).toEqual([]);
    expect(peer.requestsTo('delta').length).toBe(before);
  });

  it('C4: a fetched message whose sender is not in the relaying domain is not delivered', async () => {
    expect((await relay(serve(message({ from: `yan::${DELTA}` })))).reply).toEqual({ resp: 0 });
    expect((await relay(serve(message({ from: `${bob.name}::${BETA}` })))).reply).toEqual({ resp: 0 });
    expect(await ana.takeNew()).toEqual([]);
  });

  it('C4: a fetched message goes to this Hive\'s recipients only', async () => {
    const before = peer.requestsTo('delta').length;
    expect((await relay(serve(message({ to: [`yan::${DELTA}`, `${ana.name}::${BETA}`] })))).reply).toEqual({ resp: 1 });
    expect(await ana.takeNew()).toMatchObject([{ to: [`yan::${DELTA}`, `${ana.name}::${BETA}`] }]);
    expect(peer.requestsTo('delta').length).toBe(before);
    expect((await relay(serve(message({ to: [`yan::${DELTA}`] })))).reply).toEqual({ resp: 0 });
  });

  it('Q10: -3.3 when a recipient is no user here, -3.4 when one blocked the sender; nothing delivered then', async () => {
    expect((await relay(serve(message({ to: [`${ana.name}::${BETA}`, `nobody-here::${BETA}`] })))).reply).toEqual({ resp: -3.3 });
    expect(await bob.call('Epost_contact_block', { contact: `zoe::${GAMMA}` })).toEqual({ resp: 1 });
    expect((await relay(serve(message({ to: [`${ana.name}::${BETA}`, `${bob.name}::${BETA}`] })))).reply).toEqual({ resp: -3.4 });
    expect(await ana.takeNew()).toEqual([]);
    expect(await bob.call('Epost_contact_remove', { contact: `zoe::${GAMMA}` })).toEqual({ resp: 1 });
  });

  it('A3: delivers to psychocat of this domain', async () => {
    expect((await relay(serve(message({ to: [`psychocat::${BETA}`] })))).reply).toEqual({ resp: 1 });
  });

  it.each([
    ['iam a user, not psychocat', { iam: `zoe::${GAMMA}` }],
    ['iam a bare psychocat', { iam: 'psychocat' }],
    ['an empty ticket', { ticket: '' }],
    ['a numeric ticket', { ticket: 7 }],
    ['a ticket of 4097 characters', { ticket: 't'.repeat(4097) }],
  ])('Q10: -1.1 for %s, and no fetch', async (_, parts) => {
    const before = peer.requests.length;
    expect((await relay(serve(message()), parts)).reply).toEqual({ resp: -1.1 });
    expect(peer.requests.length).toBe(before);
  });

  it('Q10: takes a ticket of 4096 characters', async () => {
    expect((await relay(serve(message()), {}, 't'.repeat(4096))).reply).toEqual({ resp: 1 });
    await ana.takeNew();
  });
});

describe('C3: step 2 that never completes', () => {
  it('is -1 after the fetch deadline, or at once when the relaying Hive cannot be reached; nothing delivered', async () => {
    const slow = await TestHive.start({ domain: BETA, fetchTimeoutMs: 300, resolve: { [GAMMA]: peer.baseUrl('gamma'), [DELTA]: 'http://127.0.0.1:9/' } });
    try {
      const ana = await slow.user('ana');
      peer.answer = () => 'hang';
      const started = Date.now();
      expect(await slow.call('Epost_msg_relay', { iam: `psychocat::${GAMMA}`, ticket: 'slow' })).toEqual({ resp: -1 });
      // Sooner than the default fetch deadline: the 300 ms one ended step 2 (a bound of a few seconds failed on a loaded machine).
      expect(Date.now() - started).toBeLessThan(DEFAULT_FETCH_TIMEOUT_MS);
      expect(await slow.call('Epost_msg_relay', { iam: `psychocat::${DELTA}`, ticket: 'closed' })).toEqual({ resp: -1 });
      expect(await ana.takeNew()).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
