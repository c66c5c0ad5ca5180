// Privacy, the forbidden things (profile §8, F1–F5): codes that must not exist,
// requests that must not reveal more than their own user's data, registration
// that asks nothing personal, and failures that do not tell who exists. The
// privacy scanner reads every reply of every check besides (src/checks/privacy-scan.ts).
import { performance } from 'node:perf_hooks';
import { randomBytes, randomInt } from 'node:crypto';
import { wrongPassword } from '../src/checks/wrong-password.js';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext, SessionUser, TestUser } from '../src/checks/context.js';
import { mannWhitneyU } from '../src/checks/rank-test.js';
import { respOf, type Exchange } from '../src/client/exchange.js';
import { systemAddress } from '../src/protocol/address.js';
import { RESP } from '../src/protocol/reply-codes.js';
import type { RuleId } from '../src/protocol/rules.js';
import { unlistedCodeFindings } from '../src/validator/unlisted-code.js';
import { byMethod, POST_THEN_GET, type Method } from '../src/checks/conversation-steps.js';

/**
 * Request codes a Hive might be tempted to offer and the profile forbids (F1,
 * F2): personal details, existence, IPs and places, message numbers,
 * subscriptions, other people's contacts, search, listings, statistics and
 * administration, plus other spellings of listed codes (codes are exact strings).
 */
export const FORBIDDEN_CODES: readonly string[] = [
  'Epost_user_info', 'Epost_user_get', 'Epost_user_details', 'Epost_user_profile', 'Epost_user_whois', 'Epost_whois',
  'Epost_user_exists', 'Epost_user_check', 'Epost_user_available',
  'Epost_user_ip', 'Epost_user_location', 'Epost_location', 'Epost_user_lastseen', 'Epost_user_status', 'Epost_user_online',
  'Epost_msg_count', 'Epost_msg_unread', 'Epost_unread_count', 'Epost_conv_count', 'Epost_conv_list', 'Epost_msg_search',
  'Epost_chat_list', 'Epost_chat_subscriptions', 'Epost_subscriptions',
  'Epost_contact_list_of', 'Epost_contact_search', 'Epost_contact_get',
  'Epost_user_search', 'Epost_search', 'Epost_user_list', 'Epost_users', 'Epost_session_list', 'Epost_session_info',
  'Epost_stats', 'Epost_hive_stats', 'Epost_admin', 'Epost_admin_users', 'Epost_debug',
  'epost_ping', 'EPOST_PING', 'Epost_Ping', 'Epost_ping ', 'Epost-ping', 'epost_contact_list', 'Epost_contactlist', 'Epost_Contact_List',
];

/** Parts naming another user, as a Hive widening a request might read them. */
const OTHER_USER_PARTS = ['user', 'of', 'contact', 'owner', 'for', 'target', 'whose', 'username'] as const;

/** Every way a request may name another user: each part, by GET and by POST. */
function namings(other: TestUser): { method: Method; part: string; value: string }[] {
  return POST_THEN_GET.flatMap((method) => OTHER_USER_PARTS.map((part) => ({ method, part, value: part === 'username' ? other.name : other.address })));
}

/** The reply as a JSON object, or undefined when it is none. */
function replyObject(exchange: Exchange): Record<string, unknown> | undefined {
  const json = exchange.reply?.json;
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

/** How a reply to an unlisted code is shown in a finding: status and the start of the body, or why there was none. */
function shownReply(exchange: Exchange): string {
  return exchange.reply ? `HTTP ${exchange.reply.status} ${exchange.reply.bytes.subarray(0, 200).toString('utf8')}` : exchange.failure?.message ?? 'nothing';
}

/** Header names of a reply, sorted: what two replies that must not differ have to share. */
function headerNames(exchange: Exchange): string {
  return Object.keys(exchange.reply?.headers ?? {}).map((name) => name.toLowerCase()).sort().join(', ');
}

/**
 * How two failure replies differ, or undefined when they do not: status,
 * header names and body bytes. `sameCode` false compares the bodies with
 * their resp values set aside, and not the status, for pairs whose codes the profile lets differ.
 */
function replyDifference(a: Exchange, b: Exchange, sameCode: boolean): string | undefined {
  if (!a.reply || !b.reply) return `${a.reply ? 'the second' : 'the first'} request got no reply`;
  // Where the codes differ, a 4xx status may follow each code (T7): it tells nothing the code does not.
  if (sameCode && a.reply.status !== b.reply.status) return `HTTP status ${a.reply.status} against ${b.reply.status}`;
  if (headerNames(a) !== headerNames(b)) return `headers [${headerNames(a)}] against [${headerNames(b)}]`;
  const bodyA = a.reply.bytes.toString('utf8');
  const bodyB = b.reply.bytes.toString('utf8');
  if (sameCode) return bodyA === bodyB ? undefined : `bodies ${bodyA} against ${bodyB}`;
  const jsonA = replyObject(a);
  const jsonB = replyObject(b);
  const withoutCode = (json: Record<string, unknown> | undefined) => JSON.stringify({ ...json, resp: null });
  if (!jsonA || !jsonB || withoutCode(jsonA) !== withoutCode(jsonB)) return `bodies ${bodyA} against ${bodyB} differ beyond their resp`;
  return undefined;
}

/** Adds a directory entry for `owner`, or ends the check naming Q8. */
async function addContact(t: CheckContext, owner: SessionUser, contact: string, code: 'Epost_contact_add' | 'Epost_contact_block' = 'Epost_contact_add'): Promise<void> {
  t.expectResp(await t.call(code, { iam: owner.address, contact }, { session: owner.session }), RESP.OK, 'Q8', `${owner.name} adding ${contact}`);
}

/** A user name that nobody registered: the run's prefix makes it unique, and it is never registered. */
function unknownAddress(t: CheckContext): string {
  return t.address(t.uniqueName('nobody'));
}


// The side-channel probe: sample sizes and the thresholds that make a difference "measurable".
const TIMING_SAMPLES = 40;
const TIMING_WARMUP = 4;
/** Significance level: strict, so a noisy machine never produces a false finding. */
const TIMING_ALPHA = 0.001;
/** And the medians must differ by more than this, so a real but negligible gap is not reported. */
const TIMING_MIN_GAP_MS = 1;

/** The size of a reply as a client sees it: body bytes and header bytes, the Date header aside (its text varies). */
function replySize(exchange: Exchange): number {
  const reply = exchange.reply;
  if (!reply) return -1;
  const headers = Object.entries(reply.headers).filter(([name]) => name.toLowerCase() !== 'date');
  return reply.bytes.length + headers.reduce((sum, [name, value]) => sum + name.length + String(value).length, 0);
}

export const privacySuite = defineSuite('privacy', 'Privacy: the forbidden things (F1–F5)', [
  {
    id: 'PAME-PRIV-001',
    title: 'request codes the profile does not list (user info, existence, IP, counts, search, stats, admin, other spellings) get exactly {"resp":-1.1}, by GET and by POST',
    rules: ['F2', 'E2'],
    level: 'F',
    code: '*',
    async run(t) {
      const [me] = await t.loggedIn(1);
      const other = await t.user();
      const parts = { iam: me.address, user: other.address, contact: other.address, query: other.name, conv: '1' };
      const exchanges = await Promise.all(
        FORBIDDEN_CODES.flatMap((code) => POST_THEN_GET.map((method) => t.call(code, parts, { method, session: me.session }))),
      );
      for (const exchange of exchanges) {
        const what = `${JSON.stringify(exchange.code)} by ${exchange.request.method}`;
        const findings = exchange.reply ? unlistedCodeFindings(exchange.reply.json) : [{ rule: 'E2' as const, message: 'got no reply, not {"resp":-1.1}' }];
        for (const { rule, message } of findings) t.flag(rule, `${what} ${message} (${shownReply(exchange)})`, exchange);
      }
    },
  },
  {
    id: 'PAME-PRIV-002',
    title: "Epost_contact_list with parts naming another user returns only the session user's own directory",
    rules: ['F1', 'E3', 'Q9'],
    level: 'F',
    code: 'Epost_contact_list',
    async run(t) {
      const [me, victim] = await t.loggedIn(2);
      const [myFriend, victimsFriend] = await t.users(2);
      await addContact(t, me, myFriend.address);
      await addContact(t, victim, victimsFriend.address);
      const mine = [myFriend.address];
      const asked = await Promise.all(
        namings(victim).map(async (naming) => ({ ...naming, exchange: await t.call('Epost_contact_list', { iam: me.address, [naming.part]: naming.value }, { method: naming.method, session: me.session }) })),
      );
      for (const { method, part, exchange } of asked) {
        const reply = t.expectResp(exchange, RESP.OK, byMethod(method, 'E3'), `a part '${part}' is not listed for Epost_contact_list and must be ignored`);
        const listed = (reply.contacts as { contact: string }[]).map((entry) => entry.contact);
        t.check(!listed.includes(victimsFriend.address), 'F1', `with '${part}' naming ${victim.address}, the reply holds that user's contact list`, exchange);
        t.check(JSON.stringify(listed) === JSON.stringify(mine), 'E3', `with '${part}' naming another user, the reply is not the session user's own directory ${JSON.stringify(mine)}`, exchange);
      }
      // iam naming the other user with my key: whatever the reply, it is never their directory.
      for (const method of POST_THEN_GET) {
        const exchange = await t.call('Epost_contact_list', { iam: victim.address }, { method, session: me.session });
        const contacts = replyObject(exchange)?.contacts;
        const leaked = Array.isArray(contacts) && contacts.some((entry) => (entry as { contact?: unknown })?.contact === victimsFriend.address);
        t.check(!leaked, 'F1', `iam ${victim.address} with another user's session key got ${victim.address}'s contact list`, exchange);
      }
    },
  },
  {
    id: 'PAME-PRIV-003',
    title: "Epost_conv_new and Epost_conv_old with parts naming another user return nothing of that user's conversations",
    rules: ['E3', 'Q6', 'Q7'],
    level: 'MUST',
    code: 'Epost_conv_new',
    async run(t) {
      const [me, victim, sender] = await t.loggedIn(3);
      const sent = await t.call('Epost_msg_send', { iam: sender.address, to: [victim.address], subject: 'private', body: 'for the victim only' }, { session: sender.session });
      const { conv } = t.expectOk(sent, 'Q5');
      const isTheirs = (json: Record<string, unknown> | undefined) => Array.isArray(json?.msgs) && json.msgs.some((m) => (m as { conv?: unknown })?.conv === conv || (m as { from?: unknown })?.from === sender.address);
      const asked = await Promise.all(
        namings(victim).map(async ({ method, part, value }) => ({
          method,
          part,
          fresh: await t.call('Epost_conv_new', { iam: me.address, [part]: value }, { method, session: me.session }),
          old: await t.call('Epost_conv_old', { iam: me.address, conv, [part]: value }, { method, session: me.session }),
        })),
      );
      for (const { method, part, fresh, old } of asked) {
        t.expectResp(fresh, [RESP.OK, RESP.NO], byMethod(method, 'E3'), `a part '${part}' is not listed for Epost_conv_new and must be ignored`);
        t.check(!isTheirs(replyObject(fresh)), 'E3', `Epost_conv_new with '${part}' naming ${victim.address} returned that user's messages`, fresh);
        t.check(!isTheirs(replyObject(old)), 'E3', `Epost_conv_old of ${victim.address}'s conversation with '${part}' naming them returned its messages`, old);
        t.expectResp(old, RESP.NO_CONVERSATION, byMethod(method, 'Q7'), 'the session user is not in this conversation');
      }
    },
  },
  {
    id: 'PAME-PRIV-004',
    title: 'a realistic session of every request code, by GET and by POST, gets no reply carrying counts, IPs outside the message header, places or contact lists',
    rules: ['F1', 'F3'],
    level: 'F',
    code: '*',
    async run(t) {
      const [alice, bob, carol] = await t.users(3);
      // Every reply of this flow passes the privacy scanner: its findings fail the check.
      for (const method of POST_THEN_GET) {
        const as = { method };
        const rule = (own: RuleId) => byMethod(method, own);
        t.expectOk(await t.call('Epost_ping', { iam: alice.address }, as), rule('Q1'));
        const aliceSession = t.expectOk(await t.call('Epost_session_open', { iam: alice.address, pass: alice.pass }, as), rule('Q3')).session;
        const bobSession = t.expectOk(await t.call('Epost_session_open', { iam: bob.address, pass: bob.pass }, as), rule('Q3')).session;
        const asAlice = { method, session: aliceSession };
        const asBob = { method, session: bobSession };
        t.expectResp(await t.call('Epost_contact_add', { iam: alice.address, contact: bob.address }, asAlice), RESP.OK, rule('Q8'));
        t.expectResp(await t.call('Epost_contact_block', { iam: alice.address, contact: carol.address }, asAlice), RESP.OK, rule('Q8'));
        t.expectOk(await t.call('Epost_contact_list', { iam: alice.address }, asAlice), rule('Q9'));
        const sent = t.expectOk(await t.call('Epost_msg_send', { iam: alice.address, to: [bob.address], subject: `hello by ${method}`, body: 'see you at noon' }, asAlice), rule('Q5'));
        t.expectResp(await t.call('Epost_conv_new', { iam: bob.address, conv: sent.conv }, asBob), RESP.OK, rule('M3'), 'a local recipient sees the message at once');
        t.expectOk(await t.call('Epost_conv_old', { iam: bob.address, conv: sent.conv }, asBob), rule('Q7'));
        t.expectResp(await t.call('Epost_contact_remove', { iam: alice.address, contact: carol.address }, asAlice), RESP.OK, rule('Q8'));
        // Hive-to-Hive codes, answered without any other Hive: a ticket never issued, and a malformed one.
        const peer = systemAddress('alpha.pame.test');
        t.expectResp(await t.call('Epost_msg_fetch', { iam: peer, ticket: randomBytes(24).toString('base64url') }, as), RESP.NO, rule('Q11'));
        t.expectResp(await t.call('Epost_msg_relay', { iam: peer, ticket: '' }, as), RESP.BAD_REQUEST, 'Q10');
        t.expectOk(await t.call('Epost_session_close', { iam: alice.address }, asAlice), rule('Q4'));
        t.expectOk(await t.call('Epost_session_close', { iam: bob.address }, asBob), rule('Q4'));
      }
    },
  },
  {
    id: 'PAME-PRIV-005',
    title: 'registration needs nothing but iam and pass; phone, e-mail and location parts are ignored and never come back',
    rules: ['F4', 'Q2', 'E3', 'F1'],
    level: 'F',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      for (const method of POST_THEN_GET) {
        const user = { name: t.uniqueName('plain'), pass: randomBytes(12).toString('base64url') };
        const plain = await t.call('Epost_user_register', { iam: t.address(user.name), pass: user.pass }, { method });
        t.expectResp(plain, RESP.OK, byMethod(method, 'F4'), 'registering with nothing but iam and pass');
        await t.login({ ...user, address: t.address(user.name) });
      }

      // Personal details that are unique to this check, so any echo of them is found in every reply.
      const marker = randomBytes(6).toString('hex');
      const personal = {
        email: `pame-${marker}@example.org`,
        phone: `+1555${randomInt(1_000_000, 9_999_999)}`,
        mobile: `+3461${randomInt(1_000_000, 9_999_999)}`,
        location: `${randomInt(10, 60)}.${randomInt(100_000, 999_999)},-${randomInt(1, 9)}.${randomInt(100_000, 999_999)}`,
        name: `Pame Tester ${marker}`,
        birthday: `19${randomInt(50, 99)}-0${randomInt(1, 9)}-1${randomInt(0, 9)}`,
      };
      const detailed = { name: t.uniqueName('pers'), pass: randomBytes(12).toString('base64url') };
      const registered = await t.call('Epost_user_register', { iam: t.address(detailed.name), pass: detailed.pass, ...personal });
      t.expectResp(registered, RESP.OK, 'E3', 'phone, e-mail and location parts are not listed for registration and must be ignored');
      const user = { ...detailed, address: t.address(detailed.name) };
      const session = await t.login(user);
      const [friend] = await t.loggedIn(1);
      const sent = t.expectOk(await t.call('Epost_msg_send', { iam: user.address, to: [friend.address], subject: 'hi', body: 'hello' }, { session }));
      t.expectOk(await t.call('Epost_contact_add', { iam: friend.address, contact: user.address }, { session: friend.session }));
      t.expectOk(await t.call('Epost_contact_list', { iam: friend.address }, { session: friend.session }));
      await t.call('Epost_conv_new', { iam: friend.address, conv: sent.conv }, { session: friend.session });
      await t.call('Epost_conv_old', { iam: user.address, conv: sent.conv }, { session });

      for (const exchange of t.exchanges) {
        const reply = exchange.reply;
        if (!reply) continue;
        const text = `${JSON.stringify(reply.headers)} ${reply.bytes.toString('utf8')}`;
        for (const [part, value] of Object.entries(personal)) {
          if (text.includes(value)) t.flag('F1', `the ${part} given at registration comes back in the reply to ${exchange.code}`, exchange);
        }
      }
    },
  },
  {
    id: 'PAME-PRIV-006',
    title: 'failures do not tell whether a user exists: paired failures differ in nothing but the reply codes the profile gives them',
    rules: ['F5', 'R2'],
    level: 'F',
    code: '*',
    async run(t) {
      const [me, blocker] = await t.loggedIn(2);
      const existing = await t.user();
      const nobody = unknownAddress(t);
      await addContact(t, blocker, me.address, 'Epost_contact_block');
      const bogusKey = randomBytes(32).toString('base64url');
      const asMe = { session: me.session };
      for (const method of POST_THEN_GET) {
        const pairs: [string, Promise<Exchange>, Promise<Exchange>, boolean][] = [
          ['Epost_session_open for an unknown user and with a wrong password', t.call('Epost_session_open', { iam: nobody, pass: existing.pass }, { method }), t.call('Epost_session_open', { iam: existing.address, pass: wrongPassword(existing) }, { method }), true],
          ['a session code with an unknown key, for an unknown user and for an existing one', t.call('Epost_contact_list', { iam: nobody }, { method, session: bogusKey }), t.call('Epost_contact_list', { iam: existing.address }, { method, session: bogusKey }), true],
          ['Epost_contact_add of an unknown local user and of a malformed address', t.call('Epost_contact_add', { iam: me.address, contact: nobody }, { method, ...asMe }), t.call('Epost_contact_add', { iam: me.address, contact: 'not an address!' }, { method, ...asMe }), true],
          ['Epost_msg_send to an unknown local user and to a malformed address', t.call('Epost_msg_send', { iam: me.address, to: [nobody], body: 'x' }, { method, ...asMe }), t.call('Epost_msg_send', { iam: me.address, to: ['not an address!'], body: 'x' }, { method, ...asMe }), true],
          ['Epost_msg_send to an unknown local user (-3.3) and to a user who blocked the sender (-3.4)', t.call('Epost_msg_send', { iam: me.address, to: [nobody], body: 'x' }, { method, ...asMe }), t.call('Epost_msg_send', { iam: me.address, to: [blocker.address], body: 'x' }, { method, ...asMe }), false],
        ];
        for (const [what, first, second, sameCode] of pairs) {
          const a = await first;
          const b = await second;
          // Both must be failures at all; a success here is another check's business, and a false pair to compare.
          if (!(Number(respOf(a)) < 0 && Number(respOf(b)) < 0)) continue;
          const difference = replyDifference(a, b, sameCode);
          if (difference) t.flag('F5', `${what} by ${method}: ${difference}`, b);
        }
      }
    },
  },
  {
    id: 'PAME-PRIV-007',
    title: 'failed log-ins for an unknown user and for a wrong password do not differ in size, nor measurably in time (rank test)',
    rules: ['F5', 'R2'],
    level: 'SHOULD',
    code: 'Epost_session_open',
    timeoutMs: 60_000,
    async run(t) {
      const user = await t.user();
      const nobody = unknownAddress(t);
      const wrong = wrongPassword(user);
      const attempts = { unknown: { iam: nobody, pass: wrong }, wrongPassword: { iam: user.address, pass: wrong } };
      /** Each reply size seen, with the first log-in that got it. */
      const sizes: Record<keyof typeof attempts, Map<number, Exchange>> = { unknown: new Map(), wrongPassword: new Map() };
      const timed = async (kind: keyof typeof attempts, batch: number[] | undefined) => {
        const started = performance.now();
        const exchange = await t.call('Epost_session_open', attempts[kind]);
        const elapsed = performance.now() - started;
        t.expectResp(exchange, RESP.WRONG_LOGIN, 'R2', kind === 'unknown' ? 'log-in of an unknown user' : 'log-in with a wrong password');
        if (!batch) return;
        batch.push(elapsed);
        if (!sizes[kind].has(replySize(exchange))) sizes[kind].set(replySize(exchange), exchange);
      };
      /** One batch of interleaved pairs, the order alternating, so drift in the machine's load falls on both samples alike. */
      const batch = async () => {
        const times: Record<keyof typeof attempts, number[]> = { unknown: [], wrongPassword: [] };
        for (let i = 0; i < TIMING_WARMUP + TIMING_SAMPLES; i++) {
          const order: (keyof typeof attempts)[] = i % 2 === 0 ? ['unknown', 'wrongPassword'] : ['wrongPassword', 'unknown'];
          for (const kind of order) await timed(kind, i >= TIMING_WARMUP ? times[kind] : undefined);
        }
        const result = mannWhitneyU(times.unknown, times.wrongPassword);
        const gap = result.median1 - result.median2;
        t.note(
          `log-in failure timing over ${TIMING_SAMPLES} interleaved pairs: unknown user median ${result.median1.toFixed(2)} ms, wrong password median ${result.median2.toFixed(2)} ms ` +
            `(gap ${gap.toFixed(2)} ms); Mann-Whitney U = ${result.u}, z = ${result.z.toFixed(2)}, two-sided p = ${result.p.toExponential(2)}; ` +
            `a finding needs p < ${TIMING_ALPHA} and a gap above ${TIMING_MIN_GAP_MS} ms, in this batch and in a second one`,
        );
        return { result, gap, measurable: result.p < TIMING_ALPHA && Math.abs(gap) > TIMING_MIN_GAP_MS };
      };

      const first = await batch();
      // A gap a loaded machine made by chance does not come back in the same direction; a Hive's own gap does.
      const second = first.measurable ? await batch() : undefined;
      const sizeText = (kind: keyof typeof attempts) => [...sizes[kind].keys()].sort((a, b) => a - b).join('/');
      // The evidence is a log-in whose reply size the other kind never got.
      const odd = [...sizes.unknown].find(([size]) => !sizes.wrongPassword.has(size)) ?? [...sizes.wrongPassword].find(([size]) => !sizes.unknown.has(size));
      t.check(odd === undefined, 'R2', `reply sizes differ: ${sizeText('unknown')} bytes for an unknown user, ${sizeText('wrongPassword')} for a wrong password`, odd?.[1]);

      const { result, gap } = second ?? first;
      t.check(
        !(second?.measurable && Math.sign(second.gap) === Math.sign(first.gap)),
        'F5',
        `log-in failures take measurably ${gap > 0 ? 'longer for an unknown user' : 'longer for a wrong password'}, in two batches: medians ${result.median1.toFixed(2)} ms against ${result.median2.toFixed(2)} ms, U = ${result.u}, z = ${result.z.toFixed(2)}, p = ${result.p.toExponential(2)}`,
        // No evidence: the finding is a statistic over every log-in, which no one exchange shows.
      );
    },
  },
]);
