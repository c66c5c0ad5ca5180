import type { Message } from '../generated/schemas.js';
import type { Address } from '../protocol/address.js';
import { RESP } from '../protocol/reply-codes.js';
import { isValidContact } from './accounts.js';
import { hasBlocked } from './contacts.js';
import type { Hive } from './context.js';
import type { Conversation, StoredMessage } from './store.js';
import { newId } from './tokens.js';

/** A Message without the ids a Hive gives it (msg, conv): what travels and what is kept. */
export type MessageContent = Omit<Message, 'msg' | 'conv'>;

/** Copies exactly the members of §6 besides the ids, whatever else the source holds. */
export function contentOf(message: MessageContent): MessageContent {
  const { from, to, date, ip, subject, format, body } = message;
  return { from, to, date, ip, subject, format, body };
}

/**
 * Why a message from `sender` may not reach these recipients: -3.3 when a
 * local one does not exist, else -3.4 when a local one blocked the sender
 * (Q5, Q10). Remote recipients pass: this Hive has neither their accounts
 * nor their directories.
 */
export function recipientRefusal(hive: Hive, sender: string, recipients: readonly Address[]): typeof RESP.NOT_A_CONTACT | typeof RESP.NOT_WELCOME | undefined {
  if (!recipients.every((recipient) => isValidContact(hive, recipient))) return RESP.NOT_A_CONTACT;
  if (recipients.some((recipient) => hasBlocked(hive, recipient.full, sender))) return RESP.NOT_WELCOME;
  return undefined;
}

function conversationOf(hive: Hive, message: MessageContent): Conversation {
  // M4: the conversation is the set of participants, whatever order `to` lists them in.
  const participants = [...new Set([message.from, ...message.to])].sort();
  const existing = hive.store.conversationOf(participants);
  if (existing) return existing;
  const created = { id: newId(), participants };
  hive.store.addConversation(created);
  return created;
}

/**
 * Keeps a message in its conversation under a new local id, whatever ids it
 * came with; it is new for each of `unreadBy` (local full addresses) until
 * they retrieve it (Q6).
 */
export function deliver(hive: Hive, message: MessageContent, unreadBy: readonly string[]): StoredMessage {
  const stored: StoredMessage = { msg: newId(), conv: conversationOf(hive, message).id, ...contentOf(message) };
  hive.store.addMessage(stored, unreadBy);
  return stored;
}
