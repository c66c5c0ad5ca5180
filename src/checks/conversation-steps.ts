// Steps that several families take with messages: send one, send many, read a
// conversation back. They end the check naming the rule the caller verifies.
import type { CheckContext, SessionUser } from './context.js';
import type { Message, MsgSendOk } from '../generated/schemas.js';
import { judged, type Judged } from './judged.js';
import { RESP } from '../protocol/reply-codes.js';
import type { RuleId } from '../protocol/rules.js';

export type Method = 'GET' | 'POST';
/** T3: every request code works by both. */
export const METHODS: readonly Method[] = ['GET', 'POST'];
/** POST first: a request refused by POST breaks its own rule; one that works by POST only breaks T3. */
export const POST_THEN_GET: readonly Method[] = ['POST', 'GET'];

/** The rule a refusal names: a request that works by POST and not by GET breaks T3, whatever it asked. */
export function byMethod(method: Method, rule: RuleId): RuleId {
  return method === 'GET' ? 'T3' : rule;
}

export interface Draft {
  readonly to: [string, ...string[]];
  readonly subject?: string;
  readonly body: string;
}

export interface StepOptions {
  readonly method?: Method;
  /** The rule the check names when the Hive does not do what the step needs. */
  readonly rule?: RuleId;
  readonly doing?: string;
}

/** Sends a message; the check ends unless the Hive takes it (resp 1). */
export async function sendMessage(t: CheckContext, from: SessionUser, draft: Draft, { method = 'POST', rule = 'Q5', doing }: StepOptions = {}): Promise<Judged<MsgSendOk>> {
  const exchange = await t.call('Epost_msg_send', { iam: from.address, ...draft }, { method, session: from.session });
  return judged(t.expectResp(exchange, 1, rule, doing ?? 'sending a message') as unknown as MsgSendOk, exchange);
}

/** Sends `count` messages at once, when only their number matters. */
export function sendAtOnce(t: CheckContext, from: SessionUser, to: string, count: number, options?: StepOptions): Promise<Judged<MsgSendOk>[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => sendMessage(t, from, { to: [to], body: `message ${i + 1} of ${count}` }, options)));
}

export interface Page {
  readonly start?: unknown;
  readonly limit?: unknown;
}

/** One page of a conversation as `reader` sees it with Epost_conv_old; [] when the Hive says there is nothing there (0). */
export async function readPage(t: CheckContext, reader: SessionUser, conv: string, page: Page = {}, { method = 'POST', rule = 'Q7', doing }: StepOptions = {}): Promise<Judged<Message[]>> {
  const exchange = await t.call('Epost_conv_old', { iam: reader.address, conv, ...page }, { method, session: reader.session });
  const reply = t.expectResp(exchange, [1, 0], rule, doing ?? `reading conversation ${conv} with ${JSON.stringify(page)}`);
  return judged(reply.resp === 1 ? (reply.msgs as Message[]) : [], exchange);
}

/** A message of a conversation by its id, or the check ends naming `rule`. */
export async function readMessage(t: CheckContext, reader: SessionUser, sent: MsgSendOk, rule: RuleId): Promise<Judged<Message>> {
  const page = await readPage(t, reader, sent.conv, { limit: 100 }, { rule });
  const found = page.find((message) => message.msg === sent.msg);
  return found ? judged(found, page.exchange) : t.fail(rule, `message ${sent.msg} is not in conversation ${sent.conv} as its recipient reads it`, page.exchange);
}

export interface TakeOptions {
  /** Only the new messages of this conversation (Q6's `conv` part). */
  readonly conv?: string;
  /** The rule the check names when the reply is not 1 or 0. */
  readonly rule?: RuleId;
  readonly doing?: string;
}

/** What Epost_conv_new hands `reader` now: the messages, or [] when the Hive answers 0. */
export async function takeNew(t: CheckContext, reader: SessionUser, { conv, rule = 'Q6', doing }: TakeOptions = {}): Promise<Judged<Message[]>> {
  const exchange = await t.call('Epost_conv_new', { iam: reader.address, ...(conv === undefined ? {} : { conv }) }, { session: reader.session });
  const reply = t.expectResp(exchange, [RESP.OK, RESP.NO], rule, doing ?? `${reader.address} taking new messages${conv === undefined ? '' : ` of ${conv}`}`);
  return judged(reply.resp === RESP.OK ? (reply.msgs as Message[]) : [], exchange);
}

/** Ends the check naming `rule` unless Epost_conv_new has nothing new for `reader`: what a refused message must leave behind. */
export async function expectNothingNew(t: CheckContext, reader: SessionUser, rule: RuleId, why: string): Promise<void> {
  const fresh = await takeNew(t, reader, { rule });
  t.check(fresh.length === 0, rule, `${why}, yet ${reader.address} received ${fresh.length} message(s): ${JSON.stringify(fresh.map((m) => m.body))}`, fresh.exchange);
}

/** Sends the parts as they are and expects a refusal: -1.1 and the like for malformed parts, -3.3 and -3.4 for recipients. */
export async function expectSendRefused(t: CheckContext, sender: SessionUser, parts: Readonly<Record<string, unknown>>, resp: number, rule: RuleId, what: string): Promise<void> {
  t.expectResp(await t.call('Epost_msg_send', { iam: sender.address, ...parts }, { session: sender.session }), resp, rule, what);
}

/** The message with this id among `msgs`, or the check ends naming `rule`. */
export function findSent(t: CheckContext, msgs: Judged<readonly Message[]>, sent: MsgSendOk, rule: RuleId, who: string): Message {
  return msgs.find((m) => m.msg === sent.msg) ?? t.fail(rule, `${who} does not find message ${sent.msg} (conversation ${sent.conv}) among ${JSON.stringify(msgs.map((m) => m.msg))}`, msgs.exchange);
}

/** The ids of these messages, in their order. */
export const messageIds = (msgs: readonly { readonly msg: string }[]): string[] => msgs.map((m) => m.msg);
