// Steps that several families take with messages: send one, send many, read a
// conversation back. They end the check naming the rule the caller verifies.
import type { CheckContext, TestUser } from '../src/checks/context.js';
import type { Message, MsgSendOk } from '../src/generated/schemas.js';
import type { RuleId } from '../src/protocol/rules.js';

export type Method = 'GET' | 'POST';
/** T3: every request code works by both. */
export const METHODS: readonly Method[] = ['GET', 'POST'];
/** POST first: a request refused by POST breaks its own rule; one that works by POST only breaks T3. */
export const POST_THEN_GET: readonly Method[] = ['POST', 'GET'];

/** The rule a refusal names: a request that works by POST and not by GET breaks T3, whatever it asked. */
export function byMethod(method: Method, rule: RuleId): RuleId {
  return method === 'GET' ? 'T3' : rule;
}

/** A user with an open session. */
export type SessionUser = TestUser & { readonly session: string };

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
export async function sendMessage(t: CheckContext, from: SessionUser, draft: Draft, { method = 'POST', rule = 'Q5', doing }: StepOptions = {}): Promise<MsgSendOk> {
  const exchange = await t.call('Epost_msg_send', { iam: from.address, ...draft }, { method, session: from.session });
  return t.expectResp(exchange, 1, rule, doing ?? 'sending a message') as unknown as MsgSendOk;
}

/** Sends `count` messages at once, when only their number matters. */
export function sendAtOnce(t: CheckContext, from: SessionUser, to: string, count: number, options?: StepOptions): Promise<MsgSendOk[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => sendMessage(t, from, { to: [to], body: `message ${i + 1} of ${count}` }, options)));
}

export interface Page {
  readonly start?: unknown;
  readonly limit?: unknown;
}

/** One page of a conversation as `reader` sees it with Epost_conv_old; [] when the Hive says there is nothing there (0). */
export async function readPage(t: CheckContext, reader: SessionUser, conv: string, page: Page = {}, { method = 'POST', rule = 'Q7', doing }: StepOptions = {}): Promise<Message[]> {
  const exchange = await t.call('Epost_conv_old', { iam: reader.address, conv, ...page }, { method, session: reader.session });
  const reply = t.expectResp(exchange, [1, 0], rule, doing ?? `reading conversation ${conv} with ${JSON.stringify(page)}`);
  return reply.resp === 1 ? (reply.msgs as Message[]) : [];
}

/** A message of a conversation by its id, or the check ends naming `rule`. */
export async function readMessage(t: CheckContext, reader: SessionUser, sent: MsgSendOk, rule: RuleId): Promise<Message> {
  const found = (await readPage(t, reader, sent.conv, { limit: 100 }, { rule })).find((message) => message.msg === sent.msg);
  return found ?? t.fail(rule, `message ${sent.msg} is not in conversation ${sent.conv} as its recipient reads it`, t.exchanges.at(-1));
}
