import type { Message } from '../generated/schemas.js';
import { parseAddress, type Address } from '../protocol/address.js';
import { charCount, MAX_SUBJECT_CHARS, textDemand } from '../protocol/content.js';
import { RESP } from '../protocol/reply-codes.js';
import { bare, type Handler, type Hive, type Parts, type ReplyOf } from './context.js';
import { startRelays } from './countersign.js';
import { deliver, recipientRefusal } from './delivery.js';
import { RECIPIENTS } from './limits.js';

/** E4: the page `limit: 0` stands for, and the largest page served. */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/** An Epost_msg_send request whose parts passed the form checks of Q5. */
export interface Draft {
  /** The recipients, each once, in the order first given. */
  readonly to: readonly Address[];
  readonly subject: string;
  readonly format: Message['format'];
  readonly body: string;
}

/**
 * M1 and M2, in either format. The reference Hive takes the safe side of M2's
 * latitude: it refuses the fragments short of M2's forms too (L-M2-fragments).
 */
function isSafeText(text: string): boolean {
  return textDemand(text) === 'accept';
}

function isNonEmpty<T>(items: T[]): items is [T, ...T[]] {
  return items.length > 0;
}

/** Q5's form checks: -1.1 for the shape of the parts, M1 and M2; -3.3 for an address that is not one. */
export function readDraft(hive: Hive, parts: Parts): Draft | typeof RESP.BAD_REQUEST | typeof RESP.NOT_A_CONTACT {
  const { to, body, subject = '', format = 'plain' } = parts;
  if (!Array.isArray(to) || to.length < RECIPIENTS.min || to.length > RECIPIENTS.max || !to.every((item) => typeof item === 'string')) return RESP.BAD_REQUEST;
  if (typeof body !== 'string' || typeof subject !== 'string' || charCount(subject) > MAX_SUBJECT_CHARS) return RESP.BAD_REQUEST;
  if (format !== 'plain' && format !== 'bbcode') return RESP.BAD_REQUEST;
  if (!isSafeText(subject) || !isSafeText(body)) return RESP.BAD_REQUEST;
  const addresses = to.map((item) => parseAddress(item, hive.domain));
  if (!addresses.every((address): address is Address => address !== null)) return RESP.NOT_A_CONTACT;
  const unique = new Map(addresses.map((address) => [address.full, address]));
  return { to: [...unique.values()], subject, format, body };
}

/**
 * Sends a checked draft: refused as a whole (-3.3, -3.4) or delivered at once
 * to the local recipients, kept for the sender's conversation, and relayed to
 * every remote domain (M3).
 */
export function sendDraft(hive: Hive, sender: Address, clientIp: string, draft: Draft): ReplyOf<'Epost_msg_send'> {
  const refusal = recipientRefusal(hive, sender.full, draft.to);
  if (refusal !== undefined) return bare(refusal);
  const to = draft.to.map((address) => address.full);
  const stored = deliver(
    hive,
    // readDraft made sure `to` holds at least one address.
    { from: sender.full, to: to as Message['to'], date: new Date(hive.now()).toISOString(), ip: clientIp, subject: draft.subject, format: draft.format, body: draft.body },
    // The sender's own message is new to them only when they are also a recipient (Q6).
    draft.to.filter((address) => address.domain === hive.domain).map((address) => address.full),
  );
  startRelays(hive, stored);
  return { resp: RESP.OK, conv: stored.conv, msg: stored.msg };
}

/** Q5. The session check already made `iam` the session's user. */
export const sendMessage: Handler<'Epost_msg_send'> = async ({ hive, parts, iam, clientIp }) => {
  const draft = readDraft(hive, parts);
  if (typeof draft === 'number') return bare(draft);
  return hive.admit('sends', clientIp) ? sendDraft(hive, iam, clientIp, draft) : bare(RESP.UNKNOWN_ERROR);
};

/** Whether `user` takes part in the conversation; false too when there is no such conversation (-3.2 for both). */
function isParticipant(hive: Hive, conv: string, user: string): boolean {
  return hive.store.conversation(conv)?.participants.includes(user) ?? false;
}

/** Q6. Retrieves, newest first, and marks retrieved. */
export const newMessages: Handler<'Epost_conv_new'> = async ({ hive, parts, iam }) => {
  const { conv } = parts;
  if (conv !== undefined && typeof conv !== 'string') return bare(RESP.BAD_REQUEST);
  if (conv !== undefined && !isParticipant(hive, conv, iam.full)) return bare(RESP.NO_CONVERSATION);
  const msgs = hive.store.takeNew(iam.full, conv).reverse();
  return isNonEmpty(msgs) ? { resp: RESP.OK, msgs } : bare(RESP.NO);
};

/** E4: start and limit as non-negative integers, limit 0 the default page, too large a limit the largest page. */
function pageOf(parts: Parts): { start: number; limit: number } | undefined {
  const { start = 0, limit = 0 } = parts;
  const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
  if (!isCount(start) || !isCount(limit)) return undefined;
  return { start, limit: limit === 0 ? DEFAULT_PAGE : Math.min(limit, MAX_PAGE) };
}

/** Q7. Reads a page, newest first; retrieves nothing. */
export const oldMessages: Handler<'Epost_conv_old'> = async ({ hive, parts, iam }) => {
  const { conv } = parts;
  const page = pageOf(parts);
  if (typeof conv !== 'string' || !page) return bare(RESP.BAD_REQUEST);
  if (!isParticipant(hive, conv, iam.full)) return bare(RESP.NO_CONVERSATION);
  const msgs = [...hive.store.messagesIn(conv)].reverse().slice(page.start, page.start + page.limit);
  return isNonEmpty(msgs) ? { resp: RESP.OK, msgs } : bare(RESP.NO);
};
