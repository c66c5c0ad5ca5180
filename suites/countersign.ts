// Countersign (profile §7): a Hive takes a message only from the sending
// Hive's own base URL, never from whoever knocked. The runner's peer server
// plays alpha, beta and gamma.pame.test; these checks relay tickets to the
// Hive as those Hives (inbound), receive the Hive's relays (outbound), inject
// faults into step 2, and audit every request the Hive sent the peers.
import { UTC_DATE } from '../src/protocol/date.js';
import { randomBytes } from 'node:crypto';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext, SessionUser } from '../src/checks/context.js';
import { CheckFailure } from '../src/checks/outcome.js';
import type { Message } from '../src/generated/schemas.js';
import { answerJson, confirm, deny, hang, invalidJson, late, oversized, redirect, serverError, type FetchAnswer } from '../src/peer/answers.js';
import { peerDomain, peerSystemAddress, type PeerName } from '../src/peer/domains.js';
import { describePeerRequest, type RelayRecord } from '../src/peer/record.js';
import { countersign, type CountersignScenario } from '../src/checks/countersign-scenario.js';
import type { RuleId } from '../src/protocol/rules.js';
import { sendMessage } from '../src/checks/conversation-steps.js';
import { keyVariation, MIN_KEY_BITS, MIN_KEY_CHARS } from '../src/checks/session-keys.js';

/** A date well in the past, so a Hive that stamps its own time instead of keeping the fetched one shows (§6). */
const SENT_DATE = '2025-03-14T15:09:26Z';
/** A documentation address (RFC 5737): no connection of this run comes from it, so a Hive that writes its own shows (§6). */
const SENDER_IP = '198.51.100.23';
/** Past the 10 s within which step 2 must answer (C3), with a margin for a loaded machine. */
const LATE_ANSWER_MS = 11_000;
/** Messages whose tickets C5 is judged on: three remote domains each, as many tickets as the U3 estimate samples keys. */
const TICKET_SAMPLE_MESSAGES = 8;
/**
 * How long after its relay a ticket is fetched again (Q11: valid at least 10
 * minutes). A run cannot wait minutes; a few seconds prove the ticket does not
 * expire at once, and the wait runs beside the other checks, shorter than PAME-CS-007's.
 */
const LATE_FETCH_MS = 8_000;
/** Outbound checks wait up to 30 s for a relay (M3); their budget leaves room to say so. */
const OUTBOUND_CHECK_MS = 45_000;

/** A Message as a peer Hive confirms it: sent long ago, from an address no connection of the run uses. */
function peerMessage(from: string, to: readonly string[], overrides: Partial<Message> = {}): Message {
  return {
    msg: randomBytes(9).toString('base64url'),
    from,
    to: to as Message['to'],
    date: SENT_DATE,
    ip: SENDER_IP,
    subject: 'Grüße über alpha ✓',
    format: 'bbcode',
    body: '[b]countersigned[/b] ★\nsecond line',
    ...overrides,
  };
}

const sorted = (addresses: readonly string[]): string => JSON.stringify(addresses.map((a) => a.toLowerCase()).sort());

/** How a delivered (or fetched) message differs from the one it should be. */
function differences(got: Message, want: Pick<Message, 'from' | 'to' | 'subject' | 'format' | 'body'> & Partial<Pick<Message, 'date' | 'ip'>>): string[] {
  const found: string[] = [];
  for (const member of ['from', 'subject', 'format', 'body'] as const) {
    if (got[member] !== want[member]) found.push(`${member} is ${JSON.stringify(got[member])}, not ${JSON.stringify(want[member])}`);
  }
  if (sorted(got.to) !== sorted(want.to)) found.push(`to is ${JSON.stringify(got.to)}, not ${JSON.stringify(want.to)}`);
  if (want.date !== undefined && Date.parse(got.date) !== Date.parse(want.date)) found.push(`date is ${got.date}, not the fetched ${want.date}`);
  if (want.ip !== undefined && got.ip !== want.ip) found.push(`ip is ${got.ip}, not the fetched ${want.ip}`);
  return found;
}

/**
 * Runs one variant per item at once and waits for all of them. Every variant
 * that failed is recorded, in item order, so the report shows each one; a
 * variant that skipped or broke ends the check as such.
 */
async function eachVariant<T>(t: CheckContext, items: readonly T[], variant: (item: T) => Promise<void>): Promise<void> {
  const outcomes = await Promise.allSettled(items.map(variant));
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') continue;
    if (!(outcome.reason instanceof CheckFailure)) throw outcome.reason;
    const { rule, message, exchange } = outcome.reason.finding;
    t.flag(rule, message, exchange);
  }
}

/** A fresh local user and a message to them from a fresh user of `from`. */
async function relayedToNewUser(s: CountersignScenario, from: PeerName = 'alpha'): Promise<{ user: SessionUser; message: Message }> {
  const [user] = await s.t.loggedIn(1);
  return { user: user, message: peerMessage(s.peerUser(from), [user.address]) };
}

/** A way step 2 can fail, named for the report; the answer is built around the Message it would have confirmed. */
interface Failing {
  readonly what: string;
  readonly answer: (message: Message) => FetchAnswer;
}

/**
 * One local user; per variant, alpha relays a message to them whose step 2
 * fails as the variant says. Every relay must get one of `accepted`, `after`
 * may look further, and in the end nothing may have reached the user (C3).
 * Each variant's message carries its name as subject, so a delivery shows which.
 */
async function expectEveryFailureUndelivered(s: CountersignScenario, variants: readonly Failing[], accepted: readonly number[], after?: (ticket: string, what: string) => Promise<void>, recipient?: SessionUser): Promise<void> {
  const { t } = s;
  const user = recipient ?? (await t.loggedIn(1))[0];
  await eachVariant(t, variants, async ({ what, answer }) => {
    const ticket = s.ticket({ alpha: answer(peerMessage(s.peerUser('alpha'), [user.address], { subject: what })) });
    const relay = await s.relay('alpha', ticket);
    await s.expectStepTwo(ticket, 'alpha', relay);
    t.expectResp(relay, accepted, 'C3', `step 2 answered with ${what}`);
    await after?.(ticket, what);
  });
  await s.expectNothingDelivered(user, 'C3', `step 2 failed for every relayed message (${variants.map((v) => v.what).join('; ')})`);
}

/** The body of the messages outboundTickets sends. */
const OUTBOUND_BODY = 'to be fetched';

/**
 * The faults of a fetched Message §6 lets the receiving Hive repair or refuse
 * (L-C3-repair-or-refuse). `spoil` makes the Message as the peer sends it;
 * the repaired form is the Message before spoiling.
 */
interface RepairableFault {
  readonly what: string;
  readonly spoil: (message: Message) => Record<string, unknown>;
}

/** SENT_DATE two hours east of UTC: the same instant. */
const SENT_DATE_WITH_OFFSET = '2025-03-14T17:09:26+02:00';

const REPAIRABLE: readonly RepairableFault[] = [
  { what: `a date with an offset (${SENT_DATE_WITH_OFFSET})`, spoil: (m) => ({ ...m, date: SENT_DATE_WITH_OFFSET }) },
  { what: 'a member §6 does not list (priority)', spoil: (m) => ({ ...m, priority: 'urgent' }) },
  { what: "'from' and 'to' in upper case", spoil: (m) => ({ ...m, from: m.from.toUpperCase(), to: m.to.map((a) => a.toUpperCase()) }) },
];

/** The members a delivered Message may carry (§6). */
const MESSAGE_MEMBERS = new Set(['msg', 'conv', 'from', 'to', 'date', 'ip', 'subject', 'format', 'body']);

/** How a delivered message falls short of the repaired form of `sent`: the faults it kept, and anything else changed. */
function unrepaired(got: Record<string, unknown>, sent: Message): string[] {
  const found: string[] = [];
  const extra = Object.keys(got).filter((member) => !MESSAGE_MEMBERS.has(member));
  if (extra.length > 0) found.push(`it carries ${extra.map((member) => `'${member}'`).join(', ')}, which §6 does not list`);
  if (typeof got.date !== 'string' || !UTC_DATE.test(got.date)) found.push(`its date ${JSON.stringify(got.date)} is not written with Z`);
  const addresses = [got.from, ...(Array.isArray(got.to) ? got.to : [])];
  if (addresses.some((a) => typeof a === 'string' && a !== a.toLowerCase())) found.push(`its addresses ${JSON.stringify(addresses)} are not lower-case`);
  if (typeof got.date === 'string' && typeof got.from === 'string' && Array.isArray(got.to)) found.push(...differences(got as unknown as Message, sent));
  return found;
}

/**
 * One repairable fault: the relay gets 1 and the user finds the Message
 * repaired, or the relay gets 0 and the user finds nothing (C3, §6 "Repair or
 * refuse"). Any other reply, or a Message delivered as received, fails.
 */
async function expectRepairedOrRefused(s: CountersignScenario, fault: RepairableFault): Promise<void> {
  const { t } = s;
  const [user] = await t.loggedIn(1);
  const sent = peerMessage(s.peerUser('alpha'), [user.address], { subject: fault.what });
  const ticket = s.ticket({ alpha: confirm(fault.spoil(sent)) });
  const relay = await s.relay('alpha', ticket);
  await s.expectStepTwo(ticket, 'alpha', relay);
  const reply = t.expectResp(relay, [0, 1], 'C3', `step 2 answered with ${fault.what}: repaired and delivered (1) or refused (0)`);
  if (reply.resp === 0) return s.expectNothingDelivered(user, 'C3', `the relay of a Message with ${fault.what} was refused with 0`);
  const exchange = await t.call('Epost_conv_new', { iam: user.address }, { session: user.session });
  const msgs = (exchange.reply?.json as { msgs?: unknown } | undefined)?.msgs;
  const got = Array.isArray(msgs) ? (msgs as unknown[]).filter((m): m is Record<string, unknown> => m !== null && typeof m === 'object') : [];
  t.check(got.length === 1, 'Q10', `the relay of a Message with ${fault.what} got 1, yet ${user.address} has ${got.length} new messages, not 1`, exchange);
  const wrong = unrepaired(got[0]!, sent);
  t.check(wrong.length === 0, 'C3', `a Message with ${fault.what} was delivered but not repaired as §6 says (the same instant with Z, no unlisted member, lower-case addresses): ${wrong.join('; ')}`, exchange);
  t.expectResp(exchange, 1, 'Q6', `${user.address} reading the repaired message`);
}

/**
 * The Hive's own tickets for `messages` messages a local user sent, each to
 * a fresh user of every peer Hive named, once their relays have come (M3).
 */
async function outboundTickets(s: CountersignScenario, messages: number, peers: readonly PeerName[] = ['alpha']): Promise<string[]> {
  const { t } = s;
  const [sender] = await t.loggedIn(1);
  const since = Date.now();
  const sends = Array.from({ length: messages }, () => peers.map((peer) => ({ peer, recipient: s.peerUser(peer, 'r') })));
  for (const to of sends) await sendMessage(t, sender, { to: to.map(({ recipient }) => recipient) as [string, ...string[]], body: OUTBOUND_BODY });
  const relays = await Promise.all(sends.flat().map(({ peer, recipient }) => expectRelay(s, recipient, peer, since)));
  return relays.map((relay) => relay.ticket);
}

/** The Hive's own ticket for one message a local user sent to a fresh user of alpha. */
async function outboundTicket(s: CountersignScenario): Promise<string> {
  const [ticket] = await outboundTickets(s, 1);
  return ticket!; // one message to one peer: one relay, one ticket
}

/** The well-formed relay the Hive sent `peer` for a message to `recipient`, within 30 s (M3, Q10, A3). */
async function expectRelay(s: CountersignScenario, recipient: string, peer: PeerName, since: number): Promise<RelayRecord> {
  const { t } = s;
  const relay = await s.awaitRelay(recipient);
  if (!relay) return t.fail('M3', `no relay for ${recipient} reached ${s.peer.baseUrl(peer)} within 30 s; relays the peers received meanwhile:${s.describeRelays(since)}`);
  if (relay.request.unexpected) t.fail(relay.request.unexpected.rule, `the relay was malformed: ${describePeerRequest(relay.request, since)}`);
  return relay;
}

/** Sends a step 2 to the Hive as a peer Hive's psychocat (or any iam). */
function fetchAs(t: CheckContext, iam: string, ticket: unknown) {
  return t.call('Epost_msg_fetch', { iam, ticket } as { iam: string; ticket: string });
}

export const countersignSuite = defineSuite('countersign', 'Countersign: Hive to Hive (C1–C6, Q10, Q11)', [
  {
    id: 'PAME-CS-001',
    title: 'a relayed message is fetched from the base URL the domain map gives the relaying Hive, and delivered exactly as fetched',
    rules: ['C1', 'C2', 'T2', 'Q10', 'G1'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const [ana] = await t.loggedIn(1);
      // A recipient at another Hive too: the Hive delivers to its own users only, and keeps `to` whole.
      const message = peerMessage(s.peerUser('alpha'), [ana.address, s.peerUser('beta')]);
      const ticket = s.ticket({ alpha: confirm(message) });
      const relay = await s.relay('alpha', ticket);
      await s.expectStepTwo(ticket, 'alpha', relay);
      t.expectResp(relay, 1, 'Q10', 'alpha relayed a ticket it confirms, for a local user');
      const delivered = await s.deliveredTo(ana, 1, 'Q10', 'after a confirmed relay');
      const wrong = differences(delivered[0]!, message);
      t.check(wrong.length === 0, 'G1', `the delivered message is not the fetched one: ${wrong.join('; ')}`, delivered.exchange);
    }),
  },
  {
    id: 'PAME-CS-002',
    title: 'relayed messages among the same participants share one conversation, with the local user\'s reply too',
    rules: ['M4'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const [ana] = await t.loggedIn(1);
      const sender = s.peerUser('alpha');
      for (const part of [1, 2]) {
        const ticket = s.ticket({ alpha: confirm(peerMessage(sender, [ana.address], { subject: `part ${part}` })) });
        t.expectResp(await s.relay('alpha', ticket), 1, 'Q10', `relaying part ${part}`);
      }
      const msgs = await s.deliveredTo(ana, 2, 'Q10', 'after two confirmed relays');
      const convs = new Set(msgs.map((m) => m.conv));
      t.check(convs.size === 1, 'M4', `two messages from ${sender} to ${ana.address} landed in ${convs.size} conversations: ${[...convs].join(', ')}`, msgs.exchange);
      const reply = await sendMessage(t, ana, { to: [sender], body: 'a reply across Hives' });
      t.check(convs.has(reply.conv), 'M4', `${ana.address}'s reply to ${sender} went to conversation ${reply.conv}, not ${[...convs][0]}`, reply.exchange);
    }),
  },
  {
    id: 'PAME-CS-003',
    title: 'message data and a callback URL in the relay request itself are ignored: only step 2 counts, sent only to the resolved base URL',
    rules: ['C1', 'C2'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const [ana, bob] = await t.loggedIn(2);
      const message = peerMessage(s.peerUser('alpha'), [ana.address]);
      const ticket = s.ticket({ alpha: confirm(message) });
      const forged = { from: s.peerUser('alpha', 'mallory'), to: [bob.address], subject: 'forged subject', body: 'forged body', format: 'plain', date: '2030-01-01T00:00:00Z', ip: '203.0.113.66' };
      const callback = s.peer.elsewhere('forged-callback');
      const relay = await s.relay('alpha', ticket, { ...forged, msg: { ...forged, msg: 'forged' }, callback, url: callback, baseUrl: callback });
      await s.expectStepTwo(ticket, 'alpha', relay);
      t.expectResp(relay, 1, 'C1', 'a relay alpha confirms, carrying forged message parts (ignored, E3)');
      const delivered = await s.deliveredTo(ana, 1, 'C1', 'the fetched message should reach its recipient');
      const wrong = differences(delivered[0]!, message);
      t.check(wrong.length === 0, 'C1', `the delivered message took data from step 1: ${wrong.join('; ')}`, delivered.exchange);
      await s.expectNothingDelivered(bob, 'C1', `${bob.address} was named only in the relay request's own 'to'`);
    }),
  },
  {
    id: 'PAME-CS-004',
    title: 'a relay claiming a Hive that never issued the ticket (it answers 0) is answered 0 and delivers nothing',
    rules: ['C3', 'C2'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const { user, message } = await relayedToNewUser(s, 'gamma');
      // The relay names gamma; alpha, which issued the ticket, is not asked.
      const ticket = s.ticket({ gamma: deny(), alpha: confirm(message) });
      const relay = await s.relay('gamma', ticket);
      await s.expectStepTwo(ticket, 'gamma', relay);
      t.expectResp(relay, 0, 'C3', 'gamma, named by the relay, answered step 2 with 0');
      await s.expectNothingDelivered(user, 'C3', 'gamma never issued the ticket');
    }),
  },
  {
    id: 'PAME-CS-005',
    title: 'step 2 answering with anything but resp 1 and a valid Message delivers nothing and the relay gets 0; an offset date, an unlisted member or upper-case addresses may be repaired (delivered with Z, without the member, lower-case) or refused, never delivered as received',
    rules: ['C3', 'G1'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const [recipient] = await t.loggedIn(1);
      const others = Array.from({ length: 50 }, (_, i) => `r${i}::${peerDomain('beta')}`);
      const invalid: readonly Failing[] = [
        { what: 'a Message without ip', answer: ({ ip: _ip, ...m }) => confirm(m) },
        { what: 'a Message without date', answer: ({ date: _date, ...m }) => confirm(m) },
        { what: 'an ip that is no IP address', answer: (m) => confirm({ ...m, ip: 'localhost' }) },
        { what: 'a body holding an HTML tag (M1)', answer: (m) => confirm({ ...m, body: 'hello <b>there</b>' }) },
        { what: 'a BBCode javascript: URL (M2)', answer: (m) => confirm({ ...m, body: '[url=javascript:alert(1)]look[/url]' }) },
        { what: "the recipient written bare in 'to'", answer: (m) => confirm({ ...m, to: [recipient.name] }) },
        { what: "a 'from' that is no address", answer: (m) => confirm({ ...m, from: 'not an address' }) },
        { what: "an empty 'to'", answer: (m) => confirm({ ...m, to: [] }) },
        { what: "51 addresses in 'to'", answer: (m) => confirm({ ...m, to: [...m.to, ...others] }) },
        { what: 'a Message that is a string', answer: () => confirm('hello') },
        { what: 'resp 0 with a valid Message attached', answer: (m) => answerJson({ resp: 0, msg: m }) },
        { what: 'resp 1 without a Message', answer: () => answerJson({ resp: 1 }) },
      ];
      await expectEveryFailureUndelivered(s, invalid, [0], undefined, recipient);
      await eachVariant(t, REPAIRABLE, (fault) => expectRepairedOrRefused(s, fault));
    }),
  },
  {
    id: 'PAME-CS-006',
    title: 'a failing step 2 (5xx, broken JSON, an oversized reply, a redirect) delivers nothing, and the Hive stays healthy',
    rules: ['C3', 'C2'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s) => {
      const faults: readonly Failing[] = [
        { what: 'HTTP 500 (with a confirming body)', answer: (m) => serverError(m) },
        { what: 'JSON cut off in the middle', answer: (m) => invalidJson(m) },
        { what: 'a 2 MiB reply whose Message is oversized', answer: (m) => oversized(m) },
        { what: 'a redirect to another address (with a confirming body)', answer: (m) => redirect(s.peer.elsewhere('redirected'), m) },
      ];
      await expectEveryFailureUndelivered(s, faults, [0, -1], (_ticket, what) => s.expectHealthy('C3', `step 2 answered with ${what}`));
    }),
  },
  {
    id: 'PAME-CS-007',
    title: 'step 2 answering after 10 s, or never, delivers nothing; the relay is still answered within 30 s',
    rules: ['C3', 'C6'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    // Inherently about 11 s: the late answer comes after the 10 s the Hive may wait. Both variants run at once.
    timeoutMs: 50_000,
    run: countersign(async (s) => {
      const slow: readonly Failing[] = [
        { what: `a confirmation sent only after ${LATE_ANSWER_MS / 1000} s`, answer: (m) => late(LATE_ANSWER_MS, confirm(m)) },
        { what: 'no answer at all (the connection is held open)', answer: () => hang() },
      ];
      await expectEveryFailureUndelivered(s, slow, [0, -1], async (ticket, what) => {
        // A late answer is on its way until LATE_ANSWER_MS after step 2 arrived; the inbox is looked at once it was sent or refused.
        const fetch = s.requestsWith(ticket).find((request) => request.code === 'Epost_msg_fetch');
        await s.settled(ticket, Math.max(0, fetch!.receivedAt + LATE_ANSWER_MS + 1_000 - Date.now()));
        await s.expectHealthy('C3', `step 2 answered with ${what}`);
      });
    }),
  },
  {
    id: 'PAME-CS-008',
    title: 'a fetched message whose sender is not in the relaying Hive\'s domain is not delivered',
    rules: ['C4'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const [mark] = await t.users(1);
      const foreign: readonly { what: string; from: string }[] = [
        { what: `a sender at ${peerDomain('beta')}`, from: `${t.uniqueName('f')}::${peerDomain('beta')}` },
        { what: "a sender among the Hive's own users", from: mark.address },
      ];
      const [user] = await t.loggedIn(1);
      await eachVariant(t, foreign, async ({ what, from }) => {
        const ticket = s.ticket({ alpha: confirm(peerMessage(from, [user.address], { subject: what })) });
        const relay = await s.relay('alpha', ticket);
        await s.expectStepTwo(ticket, 'alpha', relay);
        t.expectResp(relay, [0, -1, -3.3, -3.4], 'C4', `alpha confirmed a message from ${what} (${from})`);
      });
      await s.expectNothingDelivered(user, 'C4', `alpha confirmed only messages from senders outside ${peerDomain('alpha')} (${foreign.map((f) => f.from).join(', ')})`);
    }),
  },
  {
    id: 'PAME-CS-009',
    title: 'a relayed message for a user the Hive does not have gets -3.3 and reaches no recipient',
    rules: ['Q10'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const [ana] = await t.loggedIn(1);
      const ghost = t.address(t.uniqueName('ghost'));
      for (const to of [[ghost], [ana.address, ghost]]) {
        const ticket = s.ticket({ alpha: confirm(peerMessage(s.peerUser('alpha'), to)) });
        const relay = await s.relay('alpha', ticket);
        await s.expectStepTwo(ticket, 'alpha', relay);
        t.expectResp(relay, -3.3, 'Q10', `a relayed message to ${to.join(', ')}, where ${ghost} does not exist`);
      }
      await s.expectNothingDelivered(ana, 'Q10', `the relay naming ${ghost} was refused with -3.3`);
    }),
  },
  {
    id: 'PAME-CS-010',
    title: 'a relayed message from a sender a recipient blocked gets -3.4 and reaches no recipient',
    rules: ['Q10', 'Q8'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const [ana, bob] = await t.loggedIn(2);
      const sender = s.peerUser('alpha');
      t.expectOk(await t.call('Epost_contact_block', { iam: ana.address, contact: sender }, { session: ana.session }), 'Q8');
      for (const to of [[ana.address], [ana.address, bob.address]]) {
        const ticket = s.ticket({ alpha: confirm(peerMessage(sender, to)) });
        const relay = await s.relay('alpha', ticket);
        await s.expectStepTwo(ticket, 'alpha', relay);
        t.expectResp(relay, -3.4, 'Q10', `a relayed message to ${to.join(', ')} from ${sender}, whom ${ana.address} blocked`);
      }
      await s.expectNothingDelivered(ana, 'Q10', `${ana.address} blocked ${sender}`);
      await s.expectNothingDelivered(bob, 'Q10', `the relay was refused with -3.4 because ${ana.address}, a fellow recipient, blocked ${sender}`);
    }),
  },
  {
    id: 'PAME-CS-011',
    title: 'a ticket relayed twice is fetched again but delivered once',
    rules: ['Q10'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const { user, message } = await relayedToNewUser(s);
      const ticket = s.ticket({ alpha: confirm(message) });
      t.expectResp(await s.relay('alpha', ticket), 1, 'Q10', 'the first relay');
      const [first] = await s.deliveredTo(user, 1, 'Q10', 'after the first relay');
      const again = await s.relay('alpha', ticket);
      const fetches = await s.expectStepTwo(ticket, 'alpha', again);
      t.check(fetches.length >= 2, 'Q10', `the ticket was relayed twice but fetched ${fetches.length} time(s): a relay is always checked with step 2`, again);
      t.expectResp(again, 1, 'Q10', 'the same ticket relayed again (it was delivered to every recipient)');
      await s.expectNothingDelivered(user, 'Q10', 'the second relay of a delivered ticket');
      const old = await t.call('Epost_conv_old', { iam: user.address, conv: first!.conv! }, { session: user.session });
      const msgs = t.expectOk(old, 'Q7').msgs;
      t.check(msgs.length === 1, 'Q10', `the conversation holds ${msgs.length} copies of the message relayed twice`, old);
    }),
  },
  {
    id: 'PAME-CS-012',
    title: 'a message to remote users reaches each of their Hives as one relay within 30 s from the Hive\'s psychocat, and step 2 returns it',
    rules: ['M3', 'Q10', 'Q11', 'G1', 'A3'],
    level: 'MUST',
    code: 'Epost_msg_send',
    needs: ['peer', 'registration'],
    timeoutMs: OUTBOUND_CHECK_MS,
    run: countersign(async (s, t) => {
      const [ana] = await t.loggedIn(1);
      const recipients: Record<PeerName, string[]> = { alpha: [s.peerUser('alpha', 'r'), s.peerUser('alpha', 'r')], beta: [s.peerUser('beta', 'r')], gamma: [] };
      const to = [...recipients.alpha, ...recipients.beta] as Message['to'];
      const draft = { to, subject: 'über die Hives ✓', body: '[i]outbound[/i] ★', format: 'bbcode' as const };
      const since = Date.now();
      t.expectOk(await t.call('Epost_msg_send', { iam: ana.address, ...draft }, { session: ana.session }), 'Q5');
      for (const peer of ['alpha', 'beta'] as const) {
        const relay = await expectRelay(s, recipients[peer][0]!, peer, since);
        const fetch = await fetchAs(t, peerSystemAddress(peer), relay.ticket);
        const { msg } = t.expectOk(fetch, 'Q11', `${peer} fetching the ticket the Hive relayed to it`);
        const wrong = differences(msg, { ...draft, from: ana.address });
        t.check(wrong.length === 0, 'G1', `step 2 returned another message than the one sent: ${wrong.join('; ')}`, fetch);
        const copies = new Set(recipients[peer].flatMap((address) => s.relaysTo(address)).map((r) => r.request.seq));
        t.check(copies.size === 1, 'M3', `${s.peer.baseUrl(peer)} received ${copies.size} relays of one message; one per remote domain is due`, fetch);
      }
    }),
  },
  {
    id: 'PAME-CS-013',
    title: 'step 2 answers 0 to a Hive with no recipient of the message and to tickets the Hive never issued; -1.1 without a psychocat iam',
    rules: ['Q11', 'C5'],
    level: 'MUST',
    code: 'Epost_msg_fetch',
    needs: ['peer', 'registration'],
    timeoutMs: OUTBOUND_CHECK_MS,
    run: countersign(async (s, t) => {
      const ticket = await outboundTicket(s);
      const last = ticket.at(-1) === 'A' ? 'B' : 'A';
      const asks: readonly { iam: string; ticket: unknown; resp: number; rule: RuleId; what: string }[] = [
        { iam: peerSystemAddress('beta'), ticket, resp: 0, rule: 'C5', what: 'beta, which has no recipient of the message' },
        { iam: peerSystemAddress('alpha'), ticket: ticket.slice(0, -1) + last, resp: 0, rule: 'C5', what: 'alpha, with the ticket one character off' },
        { iam: peerSystemAddress('alpha'), ticket: randomBytes(24).toString('base64url'), resp: 0, rule: 'Q11', what: 'alpha, with a ticket never issued' },
        { iam: peerSystemAddress('alpha'), ticket: randomBytes(3750).toString('base64url'), resp: 0, rule: 'Q11', what: 'alpha, with a 5000-character ticket never issued' },
        { iam: `${t.uniqueName('x')}::${peerDomain('alpha')}`, ticket, resp: -1.1, rule: 'Q11', what: 'an iam that is no psychocat' },
        { iam: peerSystemAddress('alpha'), ticket: '', resp: -1.1, rule: 'Q11', what: 'an empty ticket' },
        { iam: peerSystemAddress('alpha'), ticket: 42, resp: -1.1, rule: 'Q11', what: 'a ticket that is no string' },
        { iam: peerSystemAddress('alpha'), ticket, resp: 1, rule: 'Q11', what: 'alpha, a recipient Hive, with the right ticket' },
      ];
      for (const ask of asks) t.expectResp(await fetchAs(t, ask.iam, ask.ticket), ask.resp, ask.rule, `step 2 from ${ask.what}`);
    }),
  },
  {
    id: 'PAME-CS-014',
    title: `countersign tickets are unique and unguessable: at least ${MIN_KEY_CHARS} characters, whose varying characters carry at least ${MIN_KEY_BITS} bits (as U3)`,
    rules: ['C5'],
    level: 'MUST',
    code: 'Epost_msg_send',
    needs: ['peer', 'registration'],
    timeoutMs: OUTBOUND_CHECK_MS,
    run: countersign(async (s, t) => {
      // Three remote domains per message, so each message yields three tickets: enough for the estimate.
      const tickets = await outboundTickets(s, TICKET_SAMPLE_MESSAGES, ['alpha', 'beta', 'gamma']);
      for (const ticket of tickets) {
        t.check([...ticket].length >= MIN_KEY_CHARS, 'C5', `ticket ${JSON.stringify(ticket)} has ${[...ticket].length} characters; ${MIN_KEY_BITS} random bits need at least ${MIN_KEY_CHARS}`);
      }
      const distinct = new Set(tickets).size;
      t.check(distinct === tickets.length, 'C5', `${tickets.length} relays carried only ${distinct} distinct tickets: ${tickets.join(' ')}`);
      const v = keyVariation(tickets);
      t.note(`tickets: ${v.varyingPositions} varying positions over an alphabet of ${v.alphabet}, about ${Math.floor(v.bits)} bits; common prefix ${v.commonPrefix} characters`);
      t.check(v.bits >= MIN_KEY_BITS, 'C5', `tickets vary in only ${v.varyingPositions} positions over ${v.alphabet} characters, about ${Math.floor(v.bits)} bits (at least ${MIN_KEY_BITS} wanted): they are counted or derived, not drawn at random, e.g. ${JSON.stringify(tickets.slice(0, 3))}`);
    }),
  },
  {
    id: 'PAME-CS-015',
    title: 'a relay without a psychocat iam or a well-formed ticket gets -1.1 and no step 2; a ticket of 4096 characters is taken',
    rules: ['Q10'],
    level: 'MUST',
    code: 'Epost_msg_relay',
    needs: ['peer', 'registration'],
    run: countersign(async (s, t) => {
      const { user, message } = await relayedToNewUser(s);
      const confirmed = s.ticket({ alpha: confirm(message) });
      const refused: readonly { iam: string; ticket: unknown; what: string }[] = [
        { iam: `${t.uniqueName('x')}::${peerDomain('alpha')}`, ticket: confirmed, what: 'an iam that is no psychocat' },
        { iam: peerSystemAddress('alpha'), ticket: '', what: 'an empty ticket' },
        { iam: peerSystemAddress('alpha'), ticket: 42, what: 'a ticket that is no string' },
        { iam: peerSystemAddress('alpha'), ticket: s.ticket({ alpha: confirm(message) }, 4097), what: 'a ticket of 4097 characters' },
      ];
      for (const { iam, ticket, what } of refused) {
        const relay = await t.call('Epost_msg_relay', { iam, ticket } as { iam: string; ticket: string });
        t.expectResp(relay, -1.1, 'Q10', `a relay with ${what}`);
        const steps = typeof ticket === 'string' && ticket !== '' ? s.requestsWith(ticket) : [];
        t.check(steps.length === 0, 'Q10', `a relay with ${what} was refused, yet the Hive sent step 2 for it:${s.describe(steps)}`, relay);
      }
      await s.expectNothingDelivered(user, 'Q10', 'every relay was malformed');
      const longest = s.ticket({ alpha: confirm(message) }, 4096);
      const relay = await s.relay('alpha', longest);
      await s.expectStepTwo(longest, 'alpha', relay);
      t.expectResp(relay, 1, 'Q10', 'a relay whose ticket has 4096 characters, the most allowed');
      await s.deliveredTo(user, 1, 'Q10', 'after a relay with a 4096-character ticket');
    }),
  },
  {
    id: 'PAME-CS-017',
    title: `a ticket is still good ${LATE_FETCH_MS / 1000} s after its relay: a late step 2 gets the same Message (Q11 asks at least 10 minutes; a run can wait only seconds)`,
    rules: ['Q11', 'C3'],
    level: 'MUST',
    code: 'Epost_msg_fetch',
    needs: ['peer', 'registration'],
    timeoutMs: OUTBOUND_CHECK_MS,
    run: countersign(async (s, t) => {
      const ticket = await outboundTicket(s);
      await t.sleep(LATE_FETCH_MS);
      const late = await fetchAs(t, peerSystemAddress('alpha'), ticket);
      const { msg } = t.expectOk(late, 'Q11', `step 2 sent ${LATE_FETCH_MS / 1000} s after the relay, with the ticket the relay carried`);
      t.check(msg.body === OUTBOUND_BODY, 'Q11', `the late step 2 returned a Message whose body is ${JSON.stringify(msg.body)}, not the ${JSON.stringify(OUTBOUND_BODY)} sent`, late);
    }),
  },
  {
    id: 'PAME-CS-016',
    title: 'the peer Hives received nothing the countersign did not call for (every other request is listed with its source)',
    rules: ['C2', 'A3', 'Q10', 'T4'],
    level: 'MUST',
    code: '*',
    needs: ['peer'],
    // Reads the peer server's log once every other countersign check has ended.
    audit: true,
    run: countersign(async (s, t) => {
      const requests = s.peer.requests;
      const unexpected = requests.filter((request) => request.unexpected);
      const unattributed = requests.filter((request) => request.unattributed);
      t.note(`the peer Hives received ${s.peer.received} requests, ${unexpected.length} unexpected among the ${requests.length} kept`);
      if (unattributed.length > 0) t.note(`${unattributed.length} step 2 request(s) for tickets no countersign scenario issued:${s.describe(unattributed)}`);
      for (const rule of new Set(unexpected.map((request) => request.unexpected!.rule))) {
        const listed = unexpected.filter((request) => request.unexpected!.rule === rule);
        t.flag(rule, `the Hive sent the peer Hives ${listed.length} request(s) no countersign step called for:${s.describe(listed)}`);
      }
    }),
  },
]);
