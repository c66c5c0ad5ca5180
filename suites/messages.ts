// Messages (profile §5 Q5, Q7, §6): Epost_msg_send and every reply it can give,
// what a message may hold (M1, M2), delivery (M3), conversations (M4) and the
// Message object (G1).
import { isDeepStrictEqual } from 'node:util';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext, SessionUser } from '../src/checks/context.js';
import type { MsgSendOk } from '../src/generated/schemas.js';
import { UNREACHABLE_DOMAIN } from '../src/peer/domains.js';
import { RESP } from '../src/protocol/reply-codes.js';
import type { RuleId } from '../src/protocol/rules.js';
import { expectNothingNew, expectSendRefused, findSent, readPage, sendMessage, takeNew } from '../src/checks/conversation-steps.js';
import { loopbackSource } from '../src/checks/source-address.js';
import { plainIp } from '../src/protocol/ip.js';
import { sorted } from '../src/checks/lists.js';

/** How far a message's date may be from the runner's clock: a Hive writing local time as UTC is off by whole hours. */
const DATE_TOLERANCE_MS = 10 * 60_000;

interface Content {
  readonly subject?: string;
  readonly body: string;
  readonly format?: 'plain' | 'bbcode';
}

/** Text M1 refuses: '<' followed by an ASCII letter, '/', '!' or '?'. */
const HTML: readonly Content[] = [
  { body: 'this is <b>bold</b>' },
  { body: 'closing only </p>' },
  { body: 'a comment <!-- hidden -->' },
  { body: '<?php echo 1; ?>' },
  { body: '<script>alert(1)</script>' },
  { body: '<IMG SRC=x onerror=alert(1)>' },
  { body: '<a href="https://example.org/">link</a>' },
  { body: '[b]bold[/b] and <u>underlined</u>', format: 'bbcode' },
  { subject: '<i>hello</i>', body: 'the subject holds a tag' },
];

/** Text M1 lets through: '<' not followed by what opens a tag. */
const NOT_HTML: readonly Content[] = [
  { body: 'a < b' },
  { body: 'if 1<2 and 3 <= 4 then <3' },
  { body: '<< >> <> <é <1' },
  { subject: 'x < y', body: 'the subject compares' },
  { body: 'in bbcode too: a < b, [b]1<2[/b]', format: 'bbcode' },
];

/** BBCode [url] and [img] tags whose target is a script URL (M2), in several spellings. */
const SCRIPT_TAGS: readonly string[] = [
  '[url=javascript:alert(1)]click[/url]',
  '[url]javascript:alert(1)[/url]',
  '[URL="JavaScript:alert(1)"]click[/URL]',
  '[url= vbscript:msgbox(1)]click[/url]',
  '[img]data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=[/img]',
  '[img]  javascript:alert(1)[/img]',
];

/** Text M2 lets through: safe targets, and scheme names outside any tag. */
const NOT_SCRIPT: readonly Content[] = [
  { body: '[url=https://example.org/]a link[/url] and [img]https://example.org/a.png[/img]', format: 'bbcode' },
  { body: 'javascript: is a language, data: is plural' },
  { subject: 'about data: and javascript:', body: '[url]https://example.org/javascript/[/url]', format: 'bbcode' },
];

/**
 * Fragments short of M2's forms (L-M2-fragments): the Hive may take or refuse
 * each; taken, it arrives as sent. The first two are the spellings issue 12
 * found a Hive failed for.
 */
const SCRIPT_FRAGMENTS: readonly Content[] = [
  { body: 'see [IMg=DAtA:', format: 'bbcode' },
  { body: '[Url!]JaVAScrIPt:alert(1)' },
  { body: '[url]javascript:alert(1) with no closing tag', format: 'bbcode' },
  { subject: '[url=jav&#97;script:alert(1)]x[/url]', body: 'a scheme spelled with a character reference' },
  { body: '[url=java script:alert(1)]x[/url]' },
  { body: '[img=data:image/png;base64,AAAA]' },
];

/** Sends each content that must pass, and checks the recipient gets each exactly as sent. */
async function expectDeliveredAsSent(t: CheckContext, sender: SessionUser, reader: SessionUser, contents: readonly Content[], rule: RuleId): Promise<void> {
  const sent: [Content, MsgSendOk][] = [];
  for (const content of contents) sent.push([content, await sendMessage(t, sender, { to: [reader.address], ...content }, { rule, doing: `sending ${JSON.stringify(content)}, which is allowed` })]);
  await expectArrivedAsSent(t, reader, sent, rule);
}

/** Sends each content the Hive may take or refuse (1 or -1.1), and checks the recipient gets each one taken exactly as sent. */
async function expectTakenArriveAsSent(t: CheckContext, sender: SessionUser, reader: SessionUser, contents: readonly Content[], rule: RuleId): Promise<void> {
  const taken: [Content, MsgSendOk][] = [];
  const refused: Content[] = [];
  for (const content of contents) {
    const exchange = await t.call('Epost_msg_send', { iam: sender.address, to: [reader.address], ...content }, { session: sender.session });
    const reply = t.expectResp(exchange, [RESP.OK, RESP.BAD_REQUEST], rule, `sending ${JSON.stringify(content)}, which the Hive may take or refuse`);
    if (reply.resp === RESP.OK) taken.push([content, reply as unknown as MsgSendOk]);
    else refused.push(content);
  }
  t.note(`of ${contents.length} fragments short of M2's forms, the Hive took ${taken.length} and refused ${refused.length}; either is permitted`);
  await expectArrivedAsSent(t, reader, taken, rule, refused);
}

/** Each of these is among the recipient's new messages, as sent; no message with the body of a `refused` content is. */
async function expectArrivedAsSent(t: CheckContext, reader: SessionUser, sent: readonly [Content, MsgSendOk][], rule: RuleId, refused: readonly Content[] = []): Promise<void> {
  const fresh = await takeNew(t, reader, { rule });
  const leaked = fresh.filter((m) => refused.some((content) => content.body === m.body));
  t.check(leaked.length === 0, rule, `refused with -1.1, yet delivered: ${JSON.stringify(leaked.map((m) => m.body))}`, fresh.exchange);
  for (const [content, ok] of sent) {
    const got = findSent(t, fresh, ok, rule, reader.address);
    const expected = { subject: content.subject ?? '', body: content.body, format: content.format ?? 'plain' };
    const shown = { subject: got.subject, body: got.body, format: got.format };
    t.check(isDeepStrictEqual(shown, expected), rule, `sent ${JSON.stringify(expected)}, delivered ${JSON.stringify(shown)}`, fresh.exchange);
  }
}

export const messagesSuite = defineSuite('messages', 'Messages (Q5, Q7, M1–M4, G1)', [
  {
    id: 'PAME-MSG-001',
    title: 'a message to two local users is answered with conv and msg ids, each recipient sees it at once as sent, and the sender finds it in the conversation',
    rules: ['Q5', 'M3', 'Q7'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, first, second] = await t.loggedIn(3);
      const draft = { to: [first.address, second.address] as [string, string], subject: 'Hello [b]both[/b]', body: '[b]hi[/b] there, [url=https://example.org/]a link[/url]', format: 'bbcode' as const };
      const sent = t.expectOk(await t.call('Epost_msg_send', { iam: sender.address, ...draft }, { session: sender.session }));
      const expected = { from: sender.address, to: sorted(draft.to), subject: draft.subject, body: draft.body, format: draft.format, conv: sent.conv };
      for (const reader of [first, second]) {
        const fresh = await takeNew(t, reader, { rule: 'M3' });
        const got = findSent(t, fresh, sent, 'M3', `${reader.address}, right after the send,`);
        const shown = { from: got.from, to: sorted(got.to), subject: got.subject, body: got.body, format: got.format, conv: got.conv };
        t.check(isDeepStrictEqual(shown, expected), 'Q5', `${reader.address} got ${JSON.stringify(shown)}, not what was sent: ${JSON.stringify(expected)}`, fresh.exchange);
      }
      findSent(t, await readPage(t, sender, sent.conv), sent, 'Q7', `the sender ${sender.address}, reading the conversation,`);
    },
  },
  {
    id: 'PAME-MSG-002',
    title: 'Epost_msg_send with a malformed to, body, subject or format gets -1.1 and delivers nothing',
    rules: ['Q5'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      const to = [reader.address];
      const body = 'malformed';
      const cases: [string, Record<string, unknown>][] = [
        ['no to', { body }],
        ['to is a string, not an array', { to: reader.address, body }],
        ['to is empty', { to: [], body }],
        ['to holds a number', { to: [reader.address, 5], body }],
        ['to holds null', { to: [null], body }],
        ['to holds 51 strings', { to: Array.from({ length: 51 }, () => reader.address), body }],
        ['no body', { to }],
        ['body is a number', { to, body: 5 }],
        ['body is null', { to, body: null }],
        ['subject is a number', { to, subject: 5, body }],
        ['format is "html"', { to, body, format: 'html' }],
        ['format is a number', { to, body, format: 1 }],
      ];
      await Promise.all(cases.map(([what, parts]) => expectSendRefused(t, sender, parts, RESP.BAD_REQUEST, 'Q5', what)));
      await expectNothingNew(t, reader, 'Q5', 'every send was refused');
    },
  },
  {
    id: 'PAME-MSG-003',
    title: 'Epost_msg_send with a malformed address or an unknown local user among the recipients gets -3.3 and delivers to no one',
    rules: ['Q5', 'A1', 'A2'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      const nobody = t.uniqueName('nobody');
      const invalid: [string, string][] = [
        ['an unknown local user, written bare', nobody],
        ['an unknown local user, written in full', t.address(nobody)],
        ['no address at all', 'not an address'],
        ['an address without a domain after ::', 'someone::'],
        ['an address without a user', `::${t.domain}`],
        ['an address with two ::', 'a::b::c'],
        ['an e-mail address', 'someone@example.org'],
        ['a domain with an underscore', 'someone::bad_domain.example'],
      ];
      // The valid recipient comes first, so a Hive delivering one by one would already have reached them.
      await Promise.all(invalid.map(([what, address]) => expectSendRefused(t, sender, { to: [reader.address, address], body: `to ${what}` }, RESP.NOT_A_CONTACT, 'Q5', `a recipient is ${what}: ${JSON.stringify(address)}`)));
      await expectNothingNew(t, reader, 'Q5', 'every send had an invalid recipient and was refused');
    },
  },
  {
    id: 'PAME-MSG-004',
    title: 'Epost_msg_send to a user who blocked the sender gets -3.4 and delivers to no recipient; others still receive from that sender',
    rules: ['Q5', 'Q8'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, friend, blocker] = await t.loggedIn(3);
      t.expectResp(await t.call('Epost_contact_block', { iam: blocker.address, contact: sender.address }, { session: blocker.session }), RESP.OK, 'Q8', 'blocking the sender');
      await expectSendRefused(t, sender, { to: [friend.address, blocker.address], body: 'to a friend and to someone who blocked me' }, RESP.NOT_WELCOME, 'Q5', 'a recipient blocked the sender');
      await expectNothingNew(t, friend, 'Q5', 'the send was refused with -3.4');
      await expectNothingNew(t, blocker, 'Q5', 'the send was refused with -3.4');
      await sendMessage(t, sender, { to: [friend.address], body: 'to a friend only' }, { rule: 'Q8', doing: "a block stops messages to the blocker only, not to anyone else" });
    },
  },
  {
    id: 'PAME-MSG-005',
    title: 'HTML tags in a body or subject get -1.1 in either format and deliver nothing, while "a < b" and other lone "<" pass unchanged',
    rules: ['M1'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      await Promise.all(HTML.map((content) => expectSendRefused(t, sender, { to: [reader.address], ...content }, RESP.BAD_REQUEST, 'M1', `${JSON.stringify(content)} holds an HTML tag`)));
      await expectNothingNew(t, reader, 'M1', 'every message held an HTML tag and was refused');
      await expectDeliveredAsSent(t, sender, reader, NOT_HTML, 'M1');
    },
  },
  {
    id: 'PAME-MSG-006',
    title: "javascript:, data: and vbscript: URLs in the BBCode forms M2 fixes ([url=U], [url]U[/url], [img]U[/img]) get -1.1, in body and subject, in plain and bbcode format; safe links pass; fragments short of those forms may be taken (then delivered as sent) or refused, the Hive's choice",
    rules: ['M2'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      const attempts = SCRIPT_TAGS.flatMap((tag) =>
        (['plain', 'bbcode'] as const).flatMap((format) => [
          { body: `see ${tag}`, format },
          { subject: tag, body: 'the subject holds a script URL', format },
        ]),
      );
      await Promise.all(attempts.map((content) => expectSendRefused(t, sender, { to: [reader.address], ...content }, RESP.BAD_REQUEST, 'M2', `${JSON.stringify(content)} holds a script URL in a BBCode tag`)));
      await expectNothingNew(t, reader, 'M2', 'every message held a script URL and was refused');
      await expectDeliveredAsSent(t, sender, reader, NOT_SCRIPT, 'M2');
      await expectTakenArriveAsSent(t, sender, reader, SCRIPT_FRAGMENTS, 'M2');
    },
  },
  {
    id: 'PAME-MSG-007',
    title: 'messages among the same set of participants share one conv id, whoever sends and however addresses are written; another set gets another id',
    rules: ['M4', 'A1', 'A2'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [ana, bob, cy] = await t.loggedIn(3);
      // A refused send names the rule that lets its address through: A2 for a bare name, A1 for upper case.
      const send = async (from: SessionUser, to: [string, ...string[]], what: string, rule: RuleId = 'M4') => sendMessage(t, from, { to, body: what }, { rule, doing: what });
      const anaBob = (await send(ana, [bob.address], 'ana to bob')).conv;
      const sameSet: [string, SessionUser, [string], RuleId][] = [
        ['ana to bob again', ana, [bob.address], 'M4'],
        ['bob to ana', bob, [ana.address], 'M4'],
        ['ana to bob, written bare', ana, [bob.name], 'A2'],
        ['ana to bob, written in upper case', ana, [bob.address.toUpperCase()], 'A1'],
      ];
      for (const [what, from, to, rule] of sameSet) {
        const sent = await send(from, to, what, rule);
        t.check(sent.conv === anaBob, 'M4', `${what} went to conversation ${sent.conv}, not to ${anaBob} of the same participants`, sent.exchange);
      }

      const trio = await send(ana, [bob.address, cy.address], 'ana to bob and cy');
      t.check(trio.conv !== anaBob, 'M4', `ana to bob and cy shares conversation ${trio.conv} with ana to bob alone`, trio.exchange);
      const trioAgain = await send(cy, [bob.address, ana.address], 'cy to bob and ana');
      t.check(trioAgain.conv === trio.conv, 'M4', `cy to bob and ana went to ${trioAgain.conv}, not to ${trio.conv} of the same three`, trioAgain.exchange);
      const anaCy = await send(ana, [cy.address], 'ana to cy');
      t.check(anaCy.conv !== anaBob && anaCy.conv !== trio.conv, 'M4', `ana to cy shares conversation ${anaCy.conv} with another set of participants`, anaCy.exchange);
    },
  },
  {
    id: 'PAME-MSG-008',
    title: 'a delivered Message has exactly the members of §6: its ids, full lower-case addresses, a current UTC date and the sender IP',
    rules: ['G1', 'A1', 'T9'],
    level: 'MUST',
    code: 'Epost_conv_new',
    async run(t) {
      const [sender, reader] = await t.loggedIn(2);
      // Written in upper case: the Message must still say it in lower case (A1).
      const sent = await sendMessage(t, sender, { to: [reader.address.toUpperCase()], subject: 'shape', body: 'a message to look at' }, { rule: 'A1' });
      // The reply schema (checked by takeNew) holds the members, the address forms, the date form and the ip form.
      const fresh = await takeNew(t, reader, { rule: 'G1' });
      const got = findSent(t, fresh, sent, 'M3', reader.address);
      const evidence = fresh.exchange;
      t.check(got.conv === sent.conv, 'G1', `the Message says conv ${got.conv}; the send said ${sent.conv}`, evidence);
      t.check(got.from === sender.address, 'A1', `from is ${JSON.stringify(got.from)}, not the sender's full address ${sender.address}`, evidence);
      t.check(isDeepStrictEqual(got.to, [reader.address]), 'A1', `to is ${JSON.stringify(got.to)}, not [${JSON.stringify(reader.address)}]`, evidence);
      const offset = Math.abs(Date.parse(got.date) - Date.now());
      t.check(offset <= DATE_TOLERANCE_MS, 'T9', `date ${got.date} is ${Math.round(offset / 60_000)} minutes away from the current UTC time`, evidence);
      const source = loopbackSource(t);
      if (source) t.check(plainIp(got.ip) === source, 'G1', `ip is ${got.ip}, but the sender's requests came from ${source}`, evidence);
      else t.note('the target is not a loopback address, so the ip header is checked for its form only');

      const page = await readPage(t, sender, sent.conv, {}, { rule: 'G1' });
      const inConversation = findSent(t, page, sent, 'Q7', `the sender ${sender.address}`);
      t.check(isDeepStrictEqual(inConversation, got), 'G1', `Epost_conv_old gives the sender ${JSON.stringify(inConversation)}, Epost_conv_new gave the recipient ${JSON.stringify(got)}`, page.exchange);
    },
  },
  {
    id: 'PAME-MSG-009',
    title: 'Epost_msg_send takes 50 recipients, and its local recipients, first, in the middle and last, receive the message',
    rules: ['Q5', 'M3'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, first, middle, last] = await t.loggedIn(4);
      // Remote addresses fill the list: only their form is checked (M3), and a .invalid domain (RFC 6761) is nobody's Hive.
      const remote = Array.from({ length: 47 }, (_, i) => `r${i + 1}::${UNREACHABLE_DOMAIN}`);
      const to: [string, ...string[]] = [first.address, ...remote.slice(0, 23), middle.address, ...remote.slice(23), last.address];
      const sent = await sendMessage(t, sender, { to, body: 'to fifty' }, { doing: `sending to ${to.length} recipients, the most \`to\` may hold` });
      for (const reader of [first, middle, last]) findSent(t, await takeNew(t, reader, { rule: 'M3' }), sent, 'M3', reader.address);
    },
  },
  {
    id: 'PAME-MSG-010',
    title: "a message's ip header is the address the sender's requests came from",
    rules: ['G1'],
    level: 'MUST',
    code: 'Epost_msg_send',
    needs: ['second-source-address'],
    async run(t) {
      const from = t.settings.secondSourceAddress!;
      const [sender, reader] = await t.users(2);
      const session = await t.login(sender, { localAddress: from });
      const readerSession = await t.login(reader);
      const sent = t.expectOk(await t.call('Epost_msg_send', { iam: sender.address, to: [reader.address], body: `sent from ${from}` }, { session, localAddress: from }));
      const fresh = await takeNew(t, { ...reader, session: readerSession }, { rule: 'G1' });
      const got = findSent(t, fresh, sent, 'M3', reader.address);
      t.check(plainIp(got.ip) === from, 'G1', `ip is ${got.ip}, but the message was sent from ${from}`, fresh.exchange);
    },
  },
]);
