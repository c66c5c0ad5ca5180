// Envelope checks (profile §2): iam and w on every request (E1), nothing but the
// listed codes (E2), unlisted parts ignored (E3), paging (E4).
import { randomBytes } from 'node:crypto';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext, SessionUser } from '../src/checks/context.js';
import type { Exchange } from '../src/client/exchange.js';
import type { Message } from '../src/generated/schemas.js';
import { judged, type Judged } from '../src/checks/judged.js';
import { messageIds, readPage, sendAtOnce, sendMessage, type Page } from '../src/checks/conversation-steps.js';
import { contactsOf } from '../src/checks/account-steps.js';
import { sameList } from '../src/checks/lists.js';

/** A POST whose body is this object as JSON, for requests the client cannot build (no w). */
function postObject(t: CheckContext, parts: Record<string, unknown>): Promise<Exchange> {
  return t.send({ method: 'POST', body: JSON.stringify(parts), headers: { 'content-type': 'application/json' } });
}

/**
 * Every message of a conversation, newest first, paged through with `start`:
 * the Hive's largest page may be as small as it likes (E4 bounds only the default page).
 */
async function readWhole(t: CheckContext, reader: SessionUser, conv: string, count: number): Promise<Judged<Message[]>> {
  const all: Message[] = [];
  for (;;) {
    const page = await readPage(t, reader, conv, { start: all.length, limit: count }, { rule: 'E4', doing: `paging through a conversation of ${count} messages` });
    all.push(...page);
    if (page.length === 0 || all.length >= count) return judged(all, page.exchange);
  }
}

/** Whether `got` is the window of `all` that starts at `start`, holding at least one item and at most `limit` (the Hive's largest page may be smaller, E4). */
function isWindow<T>(got: readonly T[], all: readonly T[], start: number, limit: number): boolean {
  return got.length >= 1 && got.length <= limit && sameList(got, all.slice(start, start + got.length));
}

/** A fresh conversation of `count` messages from one user to another, sent at once. */
async function conversationOf(t: CheckContext, count: number): Promise<{ reader: SessionUser; conv: string }> {
  const [sender, reader] = await t.loggedIn(2);
  const [first] = await sendAtOnce(t, sender, reader.address, count, { rule: 'E4', doing: 'filling a conversation to page through' });
  return { reader, conv: first!.conv };
}

/** iam values that are not addresses (A1): bad user part, bad domain, a port, wrong separators, other types. */
function malformedIams(domain: string): readonly unknown[] {
  return [
    '', 'ana::', `::${domain}`, '-ana', '.ana', 'ana smith', 'ana@example.org', `ana:${domain}`, `ana::${domain}::x`, `ana::${domain}:8080`,
    'ana::-bad.example', 'ana::bad_label.example', 'ana::a..example', `ana::${'d'.repeat(64)}.example`, `ana::${'d.'.repeat(127)}example`,
    'a'.repeat(65), 'añа', ' ana', 'ana\n', 42, null, true, [], {}, ['ana'],
  ];
}

/** w values that are no request code of §5: plausible forbidden calls, near misses in letter case and spacing. */
const UNKNOWN_CODES: readonly string[] = [
  'Epost_user_info', 'Epost_user_exists', 'Epost_user_search', 'Epost_user_ip', 'Epost_msg_count', 'Epost_chat_list',
  'Epost_contact_list_of', 'Epost_msg_send2', 'epost_ping', 'EPOST_PING', 'Epost_Ping', 'epost_contact_list',
  ' Epost_ping', 'Epost_ping ', 'Epost_ping\u0000', 'Epost_ping\n', '',
];

/** Parts a Hive might mistake for whom a request is about or how much it returns. */
function widening(other: SessionUser): Record<string, unknown> {
  return { user: other.address, of: other.address, owner: other.address, iam2: other.address, session2: other.session, sessions: [other.session], all: true };
}

/** start / limit values E4 refuses: negative, fractional, not numbers. */
const BAD_PAGES: readonly Page[] = [
  { start: -1 }, { start: 1.5 }, { start: '1' }, { start: null }, { start: true }, { start: [] },
  { limit: -1 }, { limit: 2.5 }, { limit: '10' }, { limit: null }, { limit: false }, { limit: {} },
];

/** More messages than any default page may hold (E4: at most 100). */
const OVER_A_PAGE = 101;

export const envelopeSuite = defineSuite('envelope', 'Envelope (E1–E4)', [
  {
    id: 'PAME-ENV-001',
    title: 'a request without iam gets -1.1, even with a valid session',
    rules: ['E1'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      const [user] = await t.loggedIn(1);
      const cases: [Exchange, string][] = [
        [await t.call('Epost_ping', {}), 'Epost_ping by POST without iam'],
        [await t.call('Epost_ping', {}, { method: 'GET' }), 'Epost_ping by GET without iam'],
        [await t.call('Epost_user_register', { pass: randomBytes(12).toString('base64url') }), 'Epost_user_register without iam'],
        [await t.call('Epost_contact_list', {}, { session: user.session }), 'Epost_contact_list with a valid session but no iam'],
      ];
      for (const [exchange, what] of cases) t.expectResp(exchange, -1.1, 'E1', what);
    },
  },
  {
    id: 'PAME-ENV-002',
    title: 'a request without w, or with a w that is not a string, gets -1.1',
    rules: ['E1'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      const iam = t.address(t.uniqueName('w'));
      t.expectResp(await postObject(t, { iam }), -1.1, 'E1', 'a POST holding only iam');
      t.expectResp(await t.send({ method: 'GET', query: `?iam=${encodeURIComponent(JSON.stringify(iam))}` }), -1.1, 'E1', 'a GET holding only iam');
      t.expectResp(await postObject(t, { iam, pass: randomBytes(12).toString('base64url') }), -1.1, 'E1', 'a registration without w');
      for (const w of [null, 1, ['Epost_ping'], { code: 'Epost_ping' }, true]) {
        t.expectResp(await postObject(t, { w, iam }), -1.1, 'E1', `w: ${JSON.stringify(w)}`);
      }
    },
  },
  {
    id: 'PAME-ENV-003',
    title: 'an iam that is not a well-formed address gets -1.1',
    rules: ['E1', 'A1'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      for (const iam of malformedIams(t.domain ?? 'example.org')) {
        t.expectResp(await t.call('Epost_ping', { iam }), -1.1, 'E1', `Epost_ping with iam ${JSON.stringify(iam)}`);
      }
      t.expectResp(await t.call('Epost_ping', { iam: 'ana::bad_label.example' }, { method: 'GET' }), -1.1, 'E1', 'Epost_ping by GET with a malformed iam');
    },
  },
  {
    id: 'PAME-ENV-004',
    title: 'an unknown request code gets exactly {"resp":-1.1}',
    rules: ['E2'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const [user] = await t.loggedIn(1);
      const sent: [Exchange, string][] = [];
      for (const w of UNKNOWN_CODES) sent.push([await t.call(w, { iam: user.address, user: user.address }, { session: user.session }), `w ${JSON.stringify(w)}`]);
      for (const w of ['Epost_user_info', 'epost_ping']) sent.push([await t.call(w, { iam: user.address }, { method: 'GET', session: user.session }), `w ${JSON.stringify(w)} by GET`]);
      for (const [exchange, what] of sent) {
        const reply = t.expectResp(exchange, -1.1, 'E2', what);
        const extra = Object.keys(reply).filter((member) => member !== 'resp');
        t.check(extra.length === 0, 'E2', `the reply to ${what} carries ${extra.join(', ')} besides resp`, exchange);
      }
    },
  },
  {
    id: 'PAME-ENV-005',
    title: 'unlisted parts never make a request act for another user',
    rules: ['E3'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, other, recipient] = await t.loggedIn(3);
      const posing = { from: other.address, sender: other.address, as: other.address, ...widening(other) };
      const exchange = await t.call('Epost_msg_send', { iam: sender.address, to: [recipient.address], body: 'who sent this?', ...posing }, { session: sender.session });
      const { conv } = t.expectResp(exchange, 1, 'E3', 'sending with parts that name another user');
      const read = await readPage(t, recipient, String(conv), {}, { rule: 'E3' });
      const [message] = read;
      t.check(message?.from === sender.address, 'E3', `the message is from ${message?.from}, not the session user ${sender.address}`, read.exchange);

      const added = await t.call('Epost_contact_add', { iam: sender.address, contact: recipient.address, ...posing }, { session: sender.session });
      t.expectResp(added, 1, 'E3', 'adding a contact with parts that name another user');
      const othersContacts = await contactsOf(t, other);
      t.check(othersContacts.length === 0, 'E3', `a contact added by ${sender.address} landed in the directory of ${other.address}: ${JSON.stringify(othersContacts)}`, othersContacts.exchange);
      const ownContacts = await contactsOf(t, sender);
      t.check(ownContacts.some((entry) => entry.contact === recipient.address), 'E3', `the contact ${recipient.address} is not in the directory of the session user who added it`, ownContacts.exchange);
    },
  },
  {
    id: 'PAME-ENV-006',
    title: 'unlisted parts never widen what a request returns',
    rules: ['E3'],
    level: 'MUST',
    code: 'Epost_contact_list',
    async run(t) {
      const [asker, other, third] = await t.loggedIn(3);
      t.expectResp(await t.call('Epost_contact_add', { iam: other.address, contact: third.address }, { session: other.session }), 1, 'Q8', 'giving the other user a contact');
      const { conv } = await sendMessage(t, other, { to: [third.address], body: 'between the two of us' });

      const plain = await contactsOf(t, asker);
      const widened = await contactsOf(t, asker, widening(other), 'E3');
      t.check(sameList(widened, plain), 'E3', `Epost_contact_list with parts naming ${other.address} returned ${JSON.stringify(widened)}, not the asker's own ${JSON.stringify(plain)}`, widened.exchange);

      const old = await t.call('Epost_conv_old', { iam: asker.address, conv, ...widening(other) }, { session: asker.session });
      t.expectResp(old, -3.2, 'E3', "Epost_conv_old of another user's conversation with parts naming that user");
      const fresh = await t.call('Epost_conv_new', { iam: asker.address, ...widening(third) }, { session: asker.session });
      t.expectResp(fresh, 0, 'E3', "Epost_conv_new with parts naming a user who has new messages");
      const stillNew = await t.call('Epost_conv_new', { iam: third.address, conv }, { session: third.session });
      t.expectResp(stillNew, 1, 'E3', 'the real recipient reading the message no one else may have taken');
    },
  },
  {
    id: 'PAME-ENV-007',
    title: 'the default page (no limit, or limit 0) holds 1 to 100 messages',
    rules: ['E4'],
    level: 'MUST',
    code: 'Epost_conv_old',
    async run(t) {
      const { reader, conv } = await conversationOf(t, OVER_A_PAGE);
      const byDefault = await readPage(t, reader, conv, {}, { rule: 'E4' });
      t.check(byDefault.length >= 1 && byDefault.length <= 100, 'E4', `without start and limit, ${byDefault.length} of ${OVER_A_PAGE} messages came back; the default page holds 1 to 100`, byDefault.exchange);
      for (const page of [{ limit: 0 }, { start: 0, limit: 0 }]) {
        const explicit = await readPage(t, reader, conv, page, { rule: 'E4' });
        t.check(sameList(messageIds(explicit), messageIds(byDefault)), 'E4', `${JSON.stringify(page)} returned ${explicit.length} messages, not the default page of ${byDefault.length}`, explicit.exchange);
      }
    },
  },
  {
    id: 'PAME-ENV-008',
    title: "start and limit select the matching window of the conversation, cut to the Hive's largest page (whatever its size); past the end is 0",
    rules: ['E4', 'Q7'],
    level: 'MUST',
    code: 'Epost_conv_old',
    async run(t) {
      const { reader, conv } = await conversationOf(t, 5);
      const whole = await readWhole(t, reader, conv, 5);
      const all = messageIds(whole);
      t.check(all.length === 5, 'E4', `paging through with start found ${all.length} of 5 messages`, whole.exchange);
      // What the Hive serves for a limit it cannot exceed, and for no limit: E4 lets it choose both pages.
      const largest = (await readPage(t, reader, conv, { limit: 1_000_000 }, { rule: 'E4' })).length;
      const byDefault = (await readPage(t, reader, conv, {}, { rule: 'E4' })).length;
      t.note(`largest page served: ${largest} (of 5), default page: ${byDefault}`);
      const windows: [{ start: number; limit?: number }, number][] = [
        [{ start: 1, limit: 2 }, Math.min(2, largest)],
        [{ start: 4, limit: 10 }, Math.min(10, largest)],
        [{ start: 2 }, byDefault],
      ];
      for (const [page, size] of windows) {
        const read = await readPage(t, reader, conv, page, { rule: 'E4' });
        const got = messageIds(read);
        const expected = all.slice(page.start, page.start + size);
        t.check(sameList(got, expected), 'E4', `${JSON.stringify(page)} returned messages ${got.join(', ')}, not ${expected.join(', ')}`, read.exchange);
      }
      for (const page of [{ start: 5 }, { start: 1000, limit: 1 }]) {
        const exchange = await t.call('Epost_conv_old', { iam: reader.address, conv, ...page }, { session: reader.session });
        t.expectResp(exchange, 0, 'Q7', `${JSON.stringify(page)} is past the end of a 5-message conversation`);
      }
    },
  },
  {
    id: 'PAME-ENV-009',
    title: 'a negative, fractional or non-numeric start or limit gets -1.1',
    rules: ['E4'],
    level: 'MUST',
    code: 'Epost_conv_old',
    async run(t) {
      const { reader, conv } = await conversationOf(t, 1);
      for (const page of BAD_PAGES) {
        const exchange = await t.call('Epost_conv_old', { iam: reader.address, conv, ...page }, { session: reader.session });
        t.expectResp(exchange, -1.1, 'E4', `Epost_conv_old with ${JSON.stringify(page)}`);
      }
      for (const page of [{ start: -1 }, { limit: 0.5 }]) {
        const exchange = await t.call('Epost_conv_old', { iam: reader.address, conv, ...page }, { method: 'GET', session: reader.session });
        t.expectResp(exchange, -1.1, 'E4', `Epost_conv_old by GET with ${JSON.stringify(page)}`);
      }
    },
  },
  {
    id: 'PAME-ENV-010',
    title: "a limit above the Hive's largest page is served as the largest page, not refused",
    rules: ['E4'],
    level: 'MUST',
    code: 'Epost_conv_old',
    async run(t) {
      const { reader, conv } = await conversationOf(t, 3);
      const newest = messageIds(await readWhole(t, reader, conv, 3));
      const large = await readPage(t, reader, conv, { limit: 1_000_000 }, { rule: 'E4', doing: 'reading with limit 1000000' });
      // The largest page may hold fewer than 3: it is the Hive's choice (E4), but it starts at the newest message.
      t.check(isWindow(messageIds(large), newest, 0, 3), 'E4', `limit 1000000 returned ${JSON.stringify(messageIds(large))}, not the newest messages of ${JSON.stringify(newest)}`, large.exchange);
      const largest = await readPage(t, reader, conv, { limit: Number.MAX_SAFE_INTEGER }, { rule: 'E4', doing: `reading with limit ${Number.MAX_SAFE_INTEGER}` });
      t.check(sameList(messageIds(largest), messageIds(large)), 'E4', `limit ${Number.MAX_SAFE_INTEGER} returned ${largest.length} messages, limit 1000000 ${large.length}: both are the largest page`, largest.exchange);
    },
  },
  {
    id: 'PAME-ENV-011',
    title: 'a conversation is listed newest first, by arrival, across senders and pages',
    rules: ['E4'],
    level: 'MUST',
    code: 'Epost_conv_old',
    async run(t) {
      const [a, b] = await t.loggedIn(2);
      const bodies = ['first', 'second', 'third', 'fourth'];
      // Alternating senders, each message sent after the previous one was taken: the order of arrival is known.
      let conv = '';
      for (const [i, body] of bodies.entries()) {
        const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
        conv = (await sendMessage(t, from, { to: [to.address], body }, { rule: 'E4' })).conv;
      }
      const newestFirst = [...bodies].reverse();
      // Each page is the stretch of newestFirst at its start, as long as the Hive's page allows (E4 lets it be short).
      const pages: [Page, number, number][] = [
        [{}, 0, bodies.length],
        [{ limit: 2 }, 0, 2],
        [{ start: 2, limit: 2 }, 2, 2],
      ];
      for (const [page, start, limit] of pages) {
        const read = await readPage(t, a, conv, page, { rule: 'E4' });
        const got = read.map((message) => message.body);
        t.check(isWindow(got, newestFirst, start, limit), 'E4', `${JSON.stringify(page)} listed ${got.join(', ')}; newest first is ${newestFirst.slice(start, start + limit).join(', ')}`, read.exchange);
      }
    },
  },
]);
