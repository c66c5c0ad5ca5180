// A countersign scenario as a check drives it: the peer Hives' tickets and
// users on one side, the Hive under test (through the check's recording
// client) on the other. Steps end the check naming the rule that was broken.
import type { CheckContext, CodedExchange, SessionUser } from './context.js';
import { judged, type Judged } from './judged.js';
import { respOf, type Exchange } from '../client/exchange.js';
import type { Message } from '../generated/schemas.js';
import { RELAY_ANSWER_MS } from '../protocol/codes.js';
import { describeReplyCode } from '../protocol/reply-codes.js';
import type { RuleId } from '../protocol/rules.js';
import { deny, type FetchAnswer } from '../peer/answers.js';
import { peerDomain, peerSystemAddress, type PeerName } from '../peer/domains.js';
import { describePeerRequest, ticketOf, type PeerRequest, type RelayRecord } from '../peer/record.js';
import type { PeerServer } from '../peer/server.js';

/** M3: a remote recipient's Hive gets its relay within 30 s. */
const OUTBOUND_DEADLINE_MS = 30_000;
/** How long a step 2 that did not come before the relay's answer is still waited for. */
const STRAGGLER_MS = 2_000;
/** The runner waits a little past C6 so that a late answer is told apart from none. */
const RELAY_WAIT_MS = RELAY_ANSWER_MS + 2_000;

/** Whether the Hive under test reaches the peer server at all (it needs the domain map for that). */
interface Contact {
  readonly reached: boolean;
  readonly detail: string;
}

const contacts = new WeakMap<PeerServer, Promise<Contact>>();

/**
 * Relays a ticket that alpha denies and watches for the Hive's step 2. No
 * request at all means the Hive was most likely not given the domain map: the
 * countersign checks are then skipped, never failed or passed (§10). A relay
 * answered 1 without any step 2 is contact enough: the checks will fail it.
 */
async function probeContact(t: CheckContext, peer: PeerServer): Promise<Contact> {
  const ticket = peer.script.issue('contact probe', { alpha: deny() });
  const relay = await t.env.client.call('Epost_msg_relay', { iam: peerSystemAddress('alpha'), ticket }, { timeoutMs: RELAY_WAIT_MS });
  const seen = (): true | undefined => (peer.requests.some((request) => ticketOf(request) === ticket) ? true : undefined);
  // A Hive may answer before its step 2 is seen here; give it a moment, by polling.
  const reached = respOf(relay) === 1 || (await t.poll(async () => seen(), { deadlineMs: STRAGGLER_MS })) === true;
  const got = relay.failure ? `${relay.failure.kind}: ${relay.failure.message}` : `resp ${describeReplyCode(respOf(relay))}`;
  return { reached, detail: `a relay from ${peerDomain('alpha')} got ${got}, and no step 2 reached ${peer.baseUrl('alpha')}` };
}

/**
 * Starts the peer server (once per worker), makes sure the Hive reaches it,
 * and opens the check's scenario; the check is skipped with the reason and the
 * map to use when either cannot be done.
 */
async function openScenario(t: CheckContext): Promise<CountersignScenario> {
  let peer: PeerServer;
  try {
    peer = await t.env.peer();
  } catch (error) {
    const where = t.settings.peer ? `${t.settings.peer.host}:${t.settings.peer.port}` : '(none)';
    return t.skip(`the runner's peer server could not listen on ${where}: ${(error as Error).message}; choose another with --peer-host/--peer-port (--peer-port 0 picks a free port)`);
  }
  let contact = contacts.get(peer);
  if (!contact) contacts.set(peer, (contact = probeContact(t, peer)));
  const { reached, detail } = await contact;
  if (!reached) {
    t.skip(`the Hive never contacted the runner's peer server (${detail}); it was probably not given the domain map. Start it with this map (\`pame map\` prints it) and run again: ${peer.map}`);
  }
  return new CountersignScenario(t, peer);
}

/** Wraps a check's steps in a scenario over the peer server. */
export function countersign(steps: (s: CountersignScenario, t: CheckContext) => Promise<void>): (t: CheckContext) => Promise<void> {
  return async (t) => steps(await openScenario(t), t);
}

export class CountersignScenario {
  readonly id: string;

  constructor(
    readonly t: CheckContext,
    readonly peer: PeerServer,
  ) {
    this.id = t.spec.id;
  }

  /** The Hive's psychocat: the iam of its step 2 and of its relays (A3). */
  get hiveSystemAddress(): string {
    return this.peer.hiveSystemAddress ?? this.t.skip("the Hive's domain is unknown: Epost_ping did not name it and no --domain was given");
  }

  // ---- the peer side ------------------------------------------------------

  /** A fresh user of a peer Hive; relays from the Hive addressed to it are this scenario's. */
  peerUser(name: PeerName, label = 'p'): string {
    const address = `${this.t.uniqueName(label)}::${peerDomain(name)}`;
    this.peer.script.addRecipient(this.id, address);
    return address;
  }

  /** A ticket the named peer Hives answer as scripted (length: characters of the ticket). */
  ticket(answers: Partial<Record<PeerName, FetchAnswer>>, length?: number): string {
    return this.peer.script.issue(this.id, answers, length);
  }

  /** Requests that carried this ticket, in arrival order. */
  requestsWith(ticket: string): PeerRequest[] {
    return this.peer.requests.filter((request) => ticketOf(request) === ticket);
  }

  /** The check's secrets learn the tickets the peer saw, so a message quoting them shows placeholders. */
  private learn(requests: readonly PeerRequest[], relays: readonly RelayRecord[] = []): void {
    for (const request of requests) this.t.secrets.add(ticketOf(request), 'ticket');
    for (const relay of relays) {
      this.t.secrets.add(relay.ticket, 'ticket');
      this.t.secrets.learn(relay.fetch);
    }
  }

  describe(requests: readonly PeerRequest[], since?: number): string {
    this.learn(requests);
    return requests.length === 0 ? '(none)' : requests.map((request) => `\n  ${describePeerRequest(request, since)}`).join('');
  }

  // ---- step 1 in, step 2 out ----------------------------------------------

  /**
   * Relays a ticket to the Hive as a peer Hive's psychocat (step 1), with any
   * extra parts; the Hive must answer within 30 s (C6).
   */
  async relay(from: PeerName, ticket: string, extra: Readonly<Record<string, unknown>> = {}): Promise<CodedExchange<string>> {
    const exchange = await this.t.call('Epost_msg_relay', { iam: peerSystemAddress(from), ticket, ...extra }, { timeoutMs: RELAY_WAIT_MS });
    if (exchange.failure?.kind === 'timeout' || exchange.durationMs > RELAY_ANSWER_MS) {
      this.t.fail('C6', `the relay was not answered within ${RELAY_ANSWER_MS / 1000} s (${exchange.durationMs} ms); step 2 meanwhile:${this.describe(this.requestsWith(ticket))}`, exchange);
    }
    return exchange;
  }

  /**
   * The Hive's step 2 for a relayed ticket: it went to `from`'s base URL, as
   * the Hive's psychocat, and nowhere else (C2, A3). Called before the relay's
   * reply is judged, so a misdirected step 2 is named as such.
   */
  async expectStepTwo(ticket: string, from: PeerName, relay: Exchange): Promise<PeerRequest[]> {
    // A step 2 that timed out on the Hive's side may still be on its way in.
    if (respOf(relay) !== 1) await this.t.poll(async () => (this.requestsWith(ticket).length > 0 ? true : undefined), { deadlineMs: STRAGGLER_MS });
    const requests = this.requestsWith(ticket);
    const wrong = requests.filter((request) => request.unexpected);
    if (wrong.length > 0) this.t.fail(wrong[0]!.unexpected!.rule, `step 2 did not go only to ${this.peer.baseUrl(from)} as ${this.hiveSystemAddress}; what the peer Hives received with this ticket:${this.describe(requests)}`, relay);
    const fetches = requests.filter((request) => request.peer === from && request.code === 'Epost_msg_fetch');
    if (fetches.length === 0) {
      if (respOf(relay) === 1) this.t.fail('C1', `the relay was answered 1 without any step 2 to ${this.peer.baseUrl(from)}: the message can only have come from step 1`, relay);
      this.t.fail('C2', `no step 2 reached ${this.peer.baseUrl(from)}, the base URL the domain map gives ${peerDomain(from)} (the relay got ${describeReplyCode(respOf(relay))})`, relay);
    }
    return fetches;
  }

  /** Waits until the peer has answered, or lost, every request carrying the ticket (a late or held answer). */
  async settled(ticket: string, deadlineMs: number): Promise<void> {
    await this.t.poll(async () => (this.requestsWith(ticket).every((request) => request.outcome !== undefined) ? true : undefined), { deadlineMs, intervalMs: 100 });
  }

  // ---- what the Hive's users see ------------------------------------------

  /** Takes the user's new messages (Epost_conv_new); exactly `count` are expected, or the check ends naming `rule`. */
  async deliveredTo(user: SessionUser, count: number, rule: RuleId, doing: string): Promise<Judged<Message[]>> {
    const exchange = await this.t.call('Epost_conv_new', { iam: user.address }, { session: user.session });
    const reply = this.t.expectResp(exchange, count === 0 ? 0 : 1, rule, doing);
    const msgs = reply.resp === 1 ? (reply.msgs as Message[]) : [];
    this.t.check(msgs.length === count, rule, `${doing}: ${user.address} has ${msgs.length} new messages, not ${count}`, exchange);
    return judged(msgs, exchange);
  }

  /**
   * The user received nothing: Epost_conv_new answers 0. A message that
   * arrived ends the check naming `rule` before its own form is judged.
   */
  async expectNothingDelivered(user: SessionUser, rule: RuleId, why: string): Promise<void> {
    const exchange = await this.t.call('Epost_conv_new', { iam: user.address }, { session: user.session });
    if (exchange.failure?.kind === 'too-large') this.t.fail(rule, `${why}, yet ${user.address} has new messages (the reply outgrew the size cap: ${exchange.failure.message})`, exchange);
    if (respOf(exchange) === 1) {
      const msgs = (exchange.reply?.json as { msgs?: unknown }).msgs;
      const subjects = Array.isArray(msgs) ? msgs.map((m) => JSON.stringify((m as { subject?: unknown } | null)?.subject)).join(', ') : '?';
      this.t.fail(rule, `${why}, yet ${user.address} received a message (subjects: ${subjects})`, exchange);
    }
    this.t.expectResp(exchange, 0, 'Q6', `${user.address} should have no new message`);
  }

  /** The Hive still answers Epost_ping after a peer misbehaved: a broken step 2 must not take it down. */
  async expectHealthy(rule: RuleId, after: string): Promise<void> {
    const ping = await this.t.call('Epost_ping', { iam: this.hiveSystemAddress });
    if (respOf(ping) !== 1) this.t.fail(rule, `after ${after}, the Hive no longer answers Epost_ping with 1`, ping);
  }

  // ---- step 1 out, step 2 in ----------------------------------------------

  /** The relay the Hive sent for a message to `recipient` (a peerUser), within the M3 deadline; undefined when none came. */
  async awaitRelay(recipient: string, deadlineMs = OUTBOUND_DEADLINE_MS): Promise<RelayRecord | undefined> {
    const address = recipient.toLowerCase();
    const relay = await this.t.poll(async () => this.peer.relays.find((relay) => relay.recipients.includes(address)), { deadlineMs, intervalMs: 50 });
    if (relay) this.learn([], [relay]);
    return relay;
  }

  /** Every relay the Hive sent for a message to `recipient`, so far. */
  relaysTo(recipient: string): RelayRecord[] {
    const relays = this.peer.relays.filter((relay) => relay.recipients.includes(recipient.toLowerCase()));
    this.learn([], relays);
    return relays;
  }

  /** Explains a missing relay: what relays did arrive, and what their fetch gave. */
  describeRelays(since: number): string {
    const relays = this.peer.relays.filter((relay) => relay.request.receivedAt >= since);
    this.learn([], relays);
    return relays.length === 0 ? ' none' : relays.map((relay) => `\n  ${describePeerRequest(relay.request, since)}; fetch back: ${this.t.describe(relay.fetch).replace(/\n\s*/g, ' ')}`).join('');
  }
}
