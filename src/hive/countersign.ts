import type { Message } from '../generated/schemas.js';
import { domainOf, parseAddress, systemAddress } from '../protocol/address.js';
import { isTicket } from '../protocol/ticket.js';
import { RESP } from '../protocol/reply-codes.js';
import { loneSurrogatePaths, validateMessage } from '../validator/index.js';
import { bare, type Handler, type Hive, type ReplyOf } from './context.js';
import { contentOf, deliver, recipientRefusal } from './delivery.js';
import type { StoredMessage } from './store.js';

/** How long an issued ticket can be fetched (Q11: at least 10 minutes). */
export const TICKET_LIFETIME_MS = 10 * 60_000;

// ---- Sending Hive: step 1 out, step 2 in --------------------------------------------

/**
 * M3: one ticket, and one relay, per remote domain among the recipients. The
 * relays start now and are not awaited: 0.2.1 has no bounce, so their outcome
 * is reported to no one.
 */
export function startRelays(hive: Hive, stored: StoredMessage): void {
  // The Message as step 2 hands it out: this Hive's msg id, no conv (§6).
  const message: Message = { msg: stored.msg, ...contentOf(stored) };
  const domains = new Set(message.to.map(domainOf).filter((domain) => domain !== hive.domain));
  for (const domain of domains) {
    const ticket = hive.newTicket();
    hive.store.putTicket(ticket, { message, expiresAt: hive.now() + TICKET_LIFETIME_MS });
    hive.outbound.call(hive.resolve(domain), 'Epost_msg_relay', { iam: systemAddress(hive.domain), ticket }).catch(() => undefined);
  }
}

/** The Message a ticket this Hive issued stands for, while the ticket lives. */
export function issuedMessage(hive: Hive, ticket: string): Message | undefined {
  const record = hive.store.ticket(ticket);
  return record && record.expiresAt > hive.now() ? record.message : undefined;
}

/** Q11, C5: the Message only for a live ticket whose message has a recipient in the asking Hive's domain. */
export const answerFetch: Handler<'Epost_msg_fetch'> = async ({ hive, parts, iam }) => {
  const { ticket } = parts;
  if (typeof ticket !== 'string' || ticket === '') return bare(RESP.BAD_REQUEST);
  const message = issuedMessage(hive, ticket);
  // One 0 for an unknown ticket, an expired one and an asker that is no recipient domain.
  if (!message || !message.to.some((recipient) => domainOf(recipient) === iam.domain)) return bare(RESP.NO);
  return { resp: RESP.OK, msg: message };
};

// ---- Receiving Hive: step 1 in, step 2 out ------------------------------------------

/** What step 2 brought back: the Message, or the reply step 1 gets instead (C3). */
export type FetchOutcome = { readonly message: Message } | { readonly resp: typeof RESP.NO | typeof RESP.UNKNOWN_ERROR };

/**
 * §6 lets a receiving Hive repair three faults of a fetched Message (an offset
 * date, upper-case addresses, unlisted members) or refuse them
 * (L-C3-repair-or-refuse). The reference Hive refuses: the Message is
 * validated as fetched.
 */
const refuseRepairable = (msg: unknown): unknown => msg;

/**
 * Step 2: asks `baseUrl` for the ticket's Message as this Hive's psychocat.
 * Only an HTTP 200 reply with resp 1 and a valid Message (after `repair`) counts (§6); a
 * transport failure (no connection, no reply within the deadline) is -1,
 * anything else 0 (C3).
 */
export async function fetchTicket(hive: Hive, baseUrl: string, ticket: string, repair: (msg: unknown) => unknown = refuseRepairable): Promise<FetchOutcome> {
  const exchange = await hive.outbound.call(baseUrl, 'Epost_msg_fetch', { iam: systemAddress(hive.domain), ticket });
  const reply = exchange.reply;
  if (!reply) return { resp: exchange.failure?.kind === 'too-large' ? RESP.NO : RESP.UNKNOWN_ERROR };
  const json = reply.json as { resp?: unknown; msg?: unknown } | null | undefined;
  if (reply.status !== 200 || typeof json !== 'object' || json === null || json.resp !== RESP.OK) return { resp: RESP.NO };
  // The schema check first: it makes sure msg is flat before anything walks it.
  const msg = repair(json.msg);
  if (!validateMessage(msg).valid || loneSurrogatePaths(msg).length > 0) return { resp: RESP.NO };
  return { message: msg as Message };
}

/**
 * Step 3: delivers a fetched Message to this Hive's recipients, keeping its
 * date and ip and giving it a local id (§6). Only a Message from the relaying
 * domain is taken (C4), and a ticket already delivered is not delivered again
 * (Q10).
 */
export function acceptRelayed(hive: Hive, relayingDomain: string, ticket: string, message: Message): ReplyOf<'Epost_msg_relay'> {
  if (domainOf(message.from) !== relayingDomain) return bare(RESP.NO);
  const recipients = [...new Set(message.to)]
    .filter((recipient) => domainOf(recipient) === hive.domain)
    .flatMap((recipient) => parseAddress(recipient, hive.domain) ?? []);
  // A Message with no recipient here is not one the relaying Hive could have confirmed for us (C5).
  if (recipients.length === 0) return bare(RESP.NO);
  if (hive.store.wasRelayed(relayingDomain, ticket)) return bare(RESP.OK);
  const refusal = recipientRefusal(hive, message.from, recipients);
  if (refusal !== undefined) return bare(refusal);
  deliver(hive, message, recipients.map((recipient) => recipient.full));
  hive.store.markRelayed(relayingDomain, ticket, hive.now());
  return bare(RESP.OK);
}

/** Steps 2 and 3 of a relay from `relayingDomain`, with step 2 sent to `baseUrl`. */
export async function receiveRelay(hive: Hive, relayingDomain: string, ticket: string, baseUrl: string, repair?: (msg: unknown) => unknown): Promise<ReplyOf<'Epost_msg_relay'>> {
  const fetched = await fetchTicket(hive, baseUrl, ticket, repair);
  return 'message' in fetched ? acceptRelayed(hive, relayingDomain, ticket, fetched.message) : bare(fetched.resp);
}

/** Q10, with the fetched Message read through `repair` (§6). Nothing of step 1 but the ticket and iam's domain is used (C1). */
export function answerRelayWith(repair?: (msg: unknown) => unknown): Handler<'Epost_msg_relay'> {
  return async ({ hive, parts, iam }) => {
    const { ticket } = parts;
    if (!isTicket(ticket)) return bare(RESP.BAD_REQUEST);
    // C2: step 2 goes to the base URL of the relaying psychocat's domain, never to the caller or a URL it names.
    return receiveRelay(hive, iam.domain, ticket, hive.resolve(iam.domain), repair);
  };
}

export const answerRelay = answerRelayWith();
