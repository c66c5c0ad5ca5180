// Sessions and reply codes (profile §4, §5: Q3, Q4, R1, R2, U1–U4): log-in and
// log-out, what makes a session invalid (and that -1.303 comes before anything
// else), how unguessable keys are, and that every reply's resp comes from the table.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { wrongPassword } from '../src/checks/wrong-password.js';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext, TestUser } from '../src/checks/context.js';
import type { CallOptions } from '../src/client/client.js';
import { sessionKeyOf, type Exchange } from '../src/client/exchange.js';
import { CODES, REQUEST_CODES, type RequestCode } from '../src/protocol/codes.js';
import { charCount } from '../src/protocol/content.js';
import { ANY_REPLY_CODE, RESP } from '../src/protocol/reply-codes.js';
import type { RuleId } from '../src/protocol/rules.js';
import { byMethod, POST_THEN_GET } from '../src/checks/conversation-steps.js';
import { keyVariation, MIN_KEY_BITS, MIN_KEY_CHARS } from '../src/checks/session-keys.js';
import { loopbackSource } from '../src/checks/source-address.js';
import { closeKeys, register } from '../src/checks/account-steps.js';

/**
 * Each session code with parts that are valid but for the session, for `user`.
 * Epost_session_close comes last: a Hive that wrongly takes it ends the key the
 * other probes borrow.
 */
function sessionProbes(user: TestUser): [RequestCode, Record<string, unknown>][] {
  const parts: Partial<Record<RequestCode, Record<string, unknown>>> = {
    Epost_msg_send: { to: [user.address], body: 'a session probe' },
    Epost_conv_old: { conv: 'a-session-probe' },
    Epost_contact_add: { contact: user.address },
    Epost_contact_block: { contact: user.address },
    Epost_contact_remove: { contact: user.address },
  };
  const codes = REQUEST_CODES.filter((code) => CODES[code].session);
  const ordered = [...codes.filter((code) => code !== 'Epost_session_close'), 'Epost_session_close' as const];
  return ordered.map((code) => [code, parts[code] ?? {}]);
}

/** Every session code, sent as `user` with this `session` part (undefined: none), must get -1.303 (U2); Epost_session_close goes last. */
async function expectRefusedEverywhere(t: CheckContext, user: TestUser, session: unknown, what: string, options: Pick<CallOptions, 'localAddress' | 'headers'> = {}, rule: 'U2' | 'U4' = 'U2'): Promise<void> {
  const probe = async ([code, parts]: [RequestCode, Record<string, unknown>]) => {
    const exchange = await t.call(code, { iam: user.address, ...parts, ...(session === undefined ? {} : { session }) }, options);
    t.expectResp(exchange, RESP.NOT_LOGGED_IN, rule, `${code} with ${what}`);
  };
  const probes = sessionProbes(user);
  await Promise.all(probes.slice(0, -1).map(probe));
  await probe(probes.at(-1)!);
}

/** expectRefusedEverywhere for several session parts at once; none of them is a valid key, so they cannot disturb each other. */
async function expectAllRefused(t: CheckContext, user: TestUser, cases: readonly (readonly [unknown, string])[]): Promise<void> {
  await Promise.all(cases.map(([session, what]) => expectRefusedEverywhere(t, user, session, what)));
}

/**
 * A session request the key must be served with (1, or 0 for "nothing new"):
 * proves a key is alive before the check relies on its refusals. Epost_conv_new
 * only hands out messages, and these checks send none.
 */
async function expectAlive(t: CheckContext, user: TestUser, session: string, what: string, options: Pick<CallOptions, 'localAddress' | 'method'> = {}, rule: RuleId = 'U2'): Promise<void> {
  t.expectResp(await t.call('Epost_conv_new', { iam: user.address }, { ...options, session }), [RESP.OK, RESP.NO], rule, what);
}

/** A key with its last character replaced: a Hive comparing only a prefix takes it. */
function lastCharacterChanged(key: string): string {
  return key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
}

function caseSwapped(key: string): string {
  return [...key].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

/** How a Forwarded header writes an address (RFC 7239: IPv6 quoted in brackets). */
function forwardedFor(ip: string): string {
  return isIP(ip) === 6 ? `for="[${ip}]"` : `for=${ip}`;
}

/** Headers by which a client claims to speak for another address (U4). */
function claimingToBe(ip: string): [string, Record<string, string>][] {
  return [
    ['X-Forwarded-For', { 'x-forwarded-for': ip }],
    ['Forwarded', { forwarded: forwardedFor(ip) }],
    ['X-Real-IP', { 'x-real-ip': ip }],
    ['all three', { 'x-forwarded-for': ip, forwarded: forwardedFor(ip), 'x-real-ip': ip }],
  ];
}

/** Waits until the clock reaches `instant`; the idle checks have time itself to wait for, not an event. */
async function waitUntil(t: CheckContext, instant: number): Promise<void> {
  await t.poll(async () => (Date.now() >= instant ? true : undefined), { deadlineMs: Math.max(0, instant - Date.now()) + 1_000, intervalMs: 10 });
}

/** The idle time the run was told of; skips when waiting it out `times` over does not fit the check's budget. */
function observableIdle(t: CheckContext, times: number): number {
  const idle = t.settings.sessionIdleMs!;
  const needed = idle * times + 5_000;
  if (needed > t.settings.checkTimeoutMs) t.skip(`observing idle expiry of ${idle} ms takes about ${needed} ms, more than the check budget of ${t.settings.checkTimeoutMs} ms`);
  return idle;
}

/** Slack past the idle time, for a Hive whose clock counts in coarser steps than milliseconds. */
function idleSlack(idle: number): number {
  return 100 + idle / 10;
}

/** Enough keys that no position of a random key is the same in half of them by chance. */
const KEY_SAMPLE_USERS = 2;
const KEY_SAMPLE_PER_USER = 12;

interface OpenedKey {
  readonly user: TestUser;
  readonly key: string;
  /** The log-in that gave the key. */
  readonly exchange: Exchange;
}

/**
 * Opens many sessions at once for a few users, checks each key's length
 * against U3 before the reply's schema, runs `use` on the keys and closes
 * every session it opened, whatever the outcome.
 */
async function withManySessions(t: CheckContext, use: (opened: readonly OpenedKey[]) => void): Promise<void> {
  const users = await t.users(KEY_SAMPLE_USERS);
  const logins = await Promise.all(users.flatMap((user) => Array.from({ length: KEY_SAMPLE_PER_USER }, async () => ({ user, exchange: await t.call('Epost_session_open', { iam: user.address, pass: user.pass }) }))));
  const opened: OpenedKey[] = logins.flatMap(({ user, exchange }) => {
    const key = sessionKeyOf(exchange);
    return key === undefined ? [] : [{ user, key, exchange }];
  });
  try {
    for (const { exchange } of logins) {
      const key = sessionKeyOf(exchange);
      if (key !== undefined) t.check(charCount(key) >= MIN_KEY_CHARS, 'U3', `a session key of ${charCount(key)} characters (${JSON.stringify(key)}); keys have at least ${MIN_KEY_CHARS}`, exchange);
      t.expectOk(exchange, 'Q3');
    }
    use(opened);
  } finally {
    await closeKeys(t, opened);
  }
}

export const sessionsSuite = defineSuite('sessions', 'Sessions and reply codes (Q3, Q4, R1, R2, U1–U4)', [
  {
    id: 'PAME-SES-001',
    title: 'Epost_session_open returns a key, by GET and by POST, that a session request with iam and session is served with',
    rules: ['Q3', 'U1'],
    level: 'MUST',
    code: 'Epost_session_open',
    async run(t) {
      const user = await t.user();
      for (const method of POST_THEN_GET) {
        const { session } = t.expectOk(await t.call('Epost_session_open', { iam: user.address, pass: user.pass }, { method }), byMethod(method, 'Q3'), `logging in by ${method}`);
        await expectAlive(t, user, session, `a session request with the key opened by ${method}`, { method }, byMethod(method, 'U1'));
        t.expectResp(await t.call('Epost_session_close', { iam: user.address }, { method, session }), RESP.OK, byMethod(method, 'Q4'), `logging out by ${method}`);
      }
    },
  },
  {
    id: 'PAME-SES-002',
    title: 'a failed log-in is -1.301 with the same status and the same body bytes for an unknown user and for a wrong password, by GET and by POST',
    rules: ['R2', 'Q3', 'F5'],
    level: 'MUST',
    code: 'Epost_session_open',
    async run(t) {
      const user = await t.user();
      const nobody = t.address(t.uniqueName('nobody'));
      for (const method of POST_THEN_GET) {
        const wrong = await t.call('Epost_session_open', { iam: user.address, pass: wrongPassword(user) }, { method });
        t.expectResp(wrong, RESP.WRONG_LOGIN, byMethod(method, 'R2'), `a wrong password by ${method}`);
        const unknown = await t.call('Epost_session_open', { iam: nobody, pass: user.pass }, { method });
        t.expectResp(unknown, RESP.WRONG_LOGIN, byMethod(method, 'R2'), `an unknown user by ${method}`);
        const [a, b] = [wrong.reply!, unknown.reply!];
        t.check(a.status === b.status && a.bytes.equals(b.bytes), 'R2', `by ${method}, a wrong password gets HTTP ${a.status} ${a.bytes.toString('utf8')}, an unknown user HTTP ${b.status} ${b.bytes.toString('utf8')}`, unknown);
      }
    },
  },
  {
    id: 'PAME-SES-003',
    title: "Epost_session_close answers 1 and its key is refused from then on, while the user's other sessions go on",
    rules: ['Q4', 'U2'],
    level: 'MUST',
    code: 'Epost_session_close',
    async run(t) {
      const user = await t.user();
      const closing = await t.login(user);
      const staying = await t.login(user);
      t.expectResp(await t.call('Epost_session_close', { iam: user.address }, { session: closing }), RESP.OK, 'Q4', 'closing the session');
      t.expectResp(await t.call('Epost_contact_list', { iam: user.address }, { session: closing }), RESP.NOT_LOGGED_IN, 'Q4', 'a session request with the closed key');
      t.expectResp(await t.call('Epost_session_close', { iam: user.address }, { session: closing }), RESP.NOT_LOGGED_IN, 'Q4', 'closing the closed key again');
      await expectAlive(t, user, staying, "the user's other session, which was not closed");
    },
  },
  {
    id: 'PAME-SES-004',
    title: 'every session code without a session part, or with one that is not a string (the key inside an array or object too), gets -1.303',
    rules: ['U2', 'U1'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const [user] = await t.loggedIn(1);
      const cases: [unknown, string][] = [
        [undefined, 'no session part'],
        [null, 'session null'],
        [12345, 'session a number'],
        [true, 'session true'],
        [[user.session], 'the key inside an array'],
        [{ session: user.session }, 'the key inside an object'],
      ];
      await expectAllRefused(t, user, cases);
      await expectAlive(t, user, user.session, 'the key itself, sent as a string');
    },
  },
  {
    id: 'PAME-SES-005',
    title: 'every session code with a key the Hive never issued gets -1.303: random, empty, one character changed, cut or added, letter case swapped',
    rules: ['U2'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const [user] = await t.loggedIn(1);
      const key = user.session;
      const cases: [string, string][] = [
        [randomBytes(32).toString('base64url'), 'a random key'],
        ['', 'an empty key'],
        [lastCharacterChanged(key), 'the key with its last character changed'],
        [key.slice(0, -1), 'the key without its last character'],
        [`${key}A`, 'the key with a character added'],
      ];
      if (caseSwapped(key) !== key) cases.push([caseSwapped(key), 'the key with its letter case swapped']);
      await expectAllRefused(t, user, cases);
      await expectAlive(t, user, key, 'the key as issued');
    },
  },
  {
    id: 'PAME-SES-006',
    title: "every session code with iam naming one user and another user's key gets -1.303",
    rules: ['U2'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const [ana, bob] = await t.loggedIn(2);
      await expectRefusedEverywhere(t, bob, ana.session, `iam ${bob.address} and ${ana.address}'s key`);
      await expectAlive(t, ana, ana.session, `${ana.address}'s key, for ${ana.address}`);
    },
  },
  {
    id: 'PAME-SES-007',
    title: 'a key is refused with -1.303 from any IP address but the one that opened it',
    rules: ['U2'],
    level: 'MUST',
    code: '*',
    needs: ['second-source-address'],
    async run(t) {
      const second = t.settings.secondSourceAddress!;
      const user = await t.user();
      const here = await t.login(user);
      await expectAlive(t, user, here, 'the key from the address that opened it');
      await expectRefusedEverywhere(t, user, here, `a key opened from the default address, sent from ${second}`, { localAddress: second });
      const there = await t.login(user, { localAddress: second });
      await expectAlive(t, user, there, `the key from ${second}, which opened it`, { localAddress: second });
      await expectRefusedEverywhere(t, user, there, `a key opened from ${second}, sent from the default address`);
    },
  },
  {
    id: 'PAME-SES-008',
    title: 'X-Forwarded-For, Forwarded and X-Real-IP headers sent by a client do not move a session to another IP address',
    rules: ['U4', 'U2'],
    level: 'MUST',
    code: '*',
    needs: ['second-source-address'],
    async run(t) {
      const second = t.settings.secondSourceAddress!;
      const first = loopbackSource(t) ?? '127.0.0.1';
      const user = await t.user();
      const key = await t.login(user);
      // Without a header the key is refused from the second address (U2); a header must not change that.
      await expectRefusedEverywhere(t, user, key, `a key opened from ${first}, sent from ${second}`, { localAddress: second });
      await Promise.all(
        claimingToBe(first).map(([header, headers]) =>
          expectRefusedEverywhere(t, user, key, `a key opened from ${first}, sent from ${second} with ${header} naming ${first}`, { localAddress: second, headers }, 'U4'),
        ),
      );
      // The other way: a Hive believing the header when the session opens binds the key to the claimed address.
      const claimed = await t.login(user, { headers: claimingToBe(second).at(-1)![1] });
      await expectRefusedEverywhere(t, user, claimed, `a key opened from ${first} with headers naming ${second}, sent from ${second}`, { localAddress: second }, 'U4');
    },
  },
  {
    id: 'PAME-SES-009',
    title: 'a key left idle for the Hive\'s idle time is refused with -1.303 (--session-idle-ms)',
    rules: ['U2'],
    level: 'MUST',
    code: '*',
    needs: ['session-expiry'],
    async run(t) {
      const idle = observableIdle(t, 1.5);
      const [user] = await t.loggedIn(1);
      await expectAlive(t, user, user.session, 'the fresh key');
      // Taken after the reply: the Hive's last use of the key is no later than this.
      const lastUse = Date.now();
      await waitUntil(t, lastUse + idle + idleSlack(idle));
      const exchange = await t.call('Epost_contact_list', { iam: user.address }, { session: user.session });
      t.expectResp(exchange, RESP.NOT_LOGGED_IN, 'U2', `the key was idle ${Date.now() - lastUse} ms; the Hive's idle time is ${idle} ms`);
    },
  },
  {
    id: 'PAME-SES-010',
    title: 'a key in use lives past the idle time: expiry counts from the last use, not from the log-in',
    rules: ['U2'],
    level: 'MUST',
    code: '*',
    needs: ['session-expiry'],
    async run(t) {
      const idle = observableIdle(t, 2.5);
      const [user] = await t.loggedIn(1);
      const opened = Date.now();
      for (let use = 1; Date.now() - opened < 2 * idle; use++) {
        await waitUntil(t, opened + (use * idle) / 3);
        await expectAlive(t, user, user.session, `the key used every ${Math.round(idle / 3)} ms, ${Date.now() - opened} ms after the log-in; the idle time is ${idle} ms`);
      }
    },
  },
  {
    id: 'PAME-SES-011',
    title: 'without a valid session, a session code gets -1.303 before its other parts are looked at, however malformed they are',
    rules: ['U2'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const [user] = await t.loggedIn(1);
      const me = user.address;
      const malformed: [RequestCode, Record<string, unknown>, string][] = [
        ['Epost_msg_send', { to: 'nobody', body: 5, format: 'html' }, 'to, body and format malformed'],
        ['Epost_msg_send', { to: [me], body: '<b>html</b>' }, 'an HTML body'],
        ['Epost_msg_send', { to: [t.address(t.uniqueName('nobody'))], body: 'to nobody' }, 'an unknown recipient'],
        ['Epost_conv_new', { conv: 5 }, 'conv a number'],
        ['Epost_conv_new', { conv: 'no-such-conversation' }, 'an unknown conv'],
        ['Epost_conv_old', { conv: 5, start: -1, limit: 'ten' }, 'conv, start and limit malformed'],
        ['Epost_conv_old', { conv: 'no-such-conversation' }, 'an unknown conv'],
        ['Epost_contact_add', { contact: 5 }, 'contact a number'],
        ['Epost_contact_add', { contact: 'not an address' }, 'a malformed contact'],
        ['Epost_contact_block', { contact: [] }, 'contact an array'],
        ['Epost_contact_remove', {}, 'no contact'],
      ];
      const sessions: [unknown, string][] = [[randomBytes(32).toString('base64url'), 'an unknown key'], [undefined, 'no session']];
      await Promise.all(
        sessions.flatMap(([session, how]) =>
          malformed.map(async ([code, parts, what]) => {
            const exchange = await t.call(code, { iam: me, ...parts, ...(session === undefined ? {} : { session }) });
            t.expectResp(exchange, RESP.NOT_LOGGED_IN, 'U2', `${code} with ${how} and ${what}`);
          }),
        ),
      );
    },
  },
  {
    id: 'PAME-SES-012',
    title: `session keys have at least ${MIN_KEY_CHARS} characters, are never shared and look random: ${KEY_SAMPLE_USERS * KEY_SAMPLE_PER_USER} log-ins at once get as many keys, whose varying characters carry at least ${MIN_KEY_BITS} bits`,
    rules: ['U3'],
    level: 'MUST',
    code: 'Epost_session_open',
    async run(t) {
      await withManySessions(t, (opened) => {
        const keys = opened.map((o) => o.key);
        const distinct = new Set(keys).size;
        // The evidence is a log-in whose key an earlier log-in got too.
        const repeated = opened.find((o, i) => keys.indexOf(o.key) !== i);
        t.check(repeated === undefined, 'U3', `${keys.length} log-ins got only ${distinct} distinct keys`, repeated?.exchange);
        const v = keyVariation(keys);
        t.note(`keys: ${v.varyingPositions} varying positions over an alphabet of ${v.alphabet}, about ${Math.floor(v.bits)} bits; common prefix ${v.commonPrefix} characters`);
        t.check(
          v.bits >= MIN_KEY_BITS,
          'U3',
          `keys vary in only ${v.varyingPositions} positions over ${v.alphabet} characters, about ${Math.floor(v.bits)} bits (at least ${MIN_KEY_BITS} wanted); all share a prefix of ${v.commonPrefix} characters, e.g. ${JSON.stringify(keys.slice(0, 3))}`,
          // A judgement over every key: the first log-in stands for them, as the message quotes its key first.
          opened[0]?.exchange,
        );
      });
    },
  },
  {
    id: 'PAME-SES-013',
    title: "every reply of accounts, sessions, messages and contacts, success or failure, carries a resp from the profile's table",
    rules: ['R1'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const [ana, bob] = await t.loggedIn(2);
      const nobody = t.address(t.uniqueName('nobody'));
      const asAna = { session: ana.session };
      t.expectResp(await t.call('Epost_contact_block', { iam: bob.address, contact: ana.address }, { session: bob.session }), ANY_REPLY_CODE, 'R1', 'blocking');
      const situations: [string, Promise<Exchange>][] = [
        ['registering a taken name', register(t, ana.address, ana.pass)],
        ['registering with a short password', register(t, t.address(t.uniqueName('r1')), 'short')],
        ['logging in with a wrong password', t.call('Epost_session_open', { iam: ana.address, pass: wrongPassword(ana) })],
        ['logging in as nobody', t.call('Epost_session_open', { iam: nobody, pass: ana.pass })],
        ['a session code with an unknown key', t.call('Epost_contact_list', { iam: ana.address }, { session: randomBytes(32).toString('base64url') })],
        ['sending to nobody', t.call('Epost_msg_send', { iam: ana.address, to: [nobody], body: 'x' }, asAna)],
        ['sending to someone who blocked the sender', t.call('Epost_msg_send', { iam: ana.address, to: [bob.address], body: 'x' }, asAna)],
        ['sending without a body', t.call('Epost_msg_send', { iam: ana.address, to: [bob.address] }, asAna)],
        ['taking new messages when there are none', t.call('Epost_conv_new', { iam: ana.address }, asAna)],
        ['taking new messages of an unknown conversation', t.call('Epost_conv_new', { iam: ana.address, conv: 'no-such-conversation' }, asAna)],
        ['reading an unknown conversation', t.call('Epost_conv_old', { iam: ana.address, conv: 'no-such-conversation' }, asAna)],
        ['adding nobody as a contact', t.call('Epost_contact_add', { iam: ana.address, contact: nobody }, asAna)],
        ['removing a contact that is not there', t.call('Epost_contact_remove', { iam: ana.address, contact: bob.address }, asAna)],
        ['listing contacts', t.call('Epost_contact_list', { iam: ana.address }, asAna)],
      ];
      for (const [what, exchange] of situations) t.expectResp(await exchange, ANY_REPLY_CODE, 'R1', what);
      const sent = t.expectResp(await t.call('Epost_msg_send', { iam: bob.address, to: [ana.address], body: 'hello' }, { session: bob.session }), ANY_REPLY_CODE, 'R1', 'sending a message') as { conv?: string };
      t.expectResp(await t.call('Epost_conv_new', { iam: ana.address }, asAna), ANY_REPLY_CODE, 'R1', 'taking a new message');
      t.expectResp(await t.call('Epost_conv_old', { iam: ana.address, conv: sent.conv ?? '', start: 5 }, asAna), ANY_REPLY_CODE, 'R1', 'reading past the end of a conversation');
      t.expectResp(await t.call('Epost_session_close', { iam: ana.address }, asAna), ANY_REPLY_CODE, 'R1', 'closing the session');
    },
  },
]);
