import { PROTOCOL_VERSION, REQUEST_CODES, type RequestCode } from '../protocol/codes.js';
import { RESP } from '../protocol/reply-codes.js';
import { openSession, register } from './accounts.js';
import { addContact, blockContact, listContacts, removeContact } from './contacts.js';
import type { Handler, HandlerContext, ReplyBody } from './context.js';
import { answerFetch, answerRelay } from './countersign.js';
import { newMessages, oldMessages, sendMessage } from './messages.js';
import type { HandlerTamper, Tamper } from './options.js';
import { closeSession } from './sessions.js';

/** Q1. */
const ping: Handler<'Epost_ping'> = async ({ hive }) => ({ resp: RESP.OK, hive: hive.domain, version: PROTOCOL_VERSION });

/** The reference behaviour of each request code of §5. */
export const HANDLERS: { readonly [C in RequestCode]: Handler<C> } = {
  Epost_ping: ping,
  Epost_user_register: register,
  Epost_session_open: openSession,
  Epost_session_close: closeSession,
  Epost_msg_send: sendMessage,
  Epost_conv_new: newMessages,
  Epost_conv_old: oldMessages,
  Epost_contact_add: addContact,
  Epost_contact_block: blockContact,
  Epost_contact_remove: removeContact,
  Epost_contact_list: listContacts,
  Epost_msg_relay: answerRelay,
  Epost_msg_fetch: answerFetch,
};

export type HandlerTable = Readonly<Record<RequestCode, (ctx: HandlerContext) => Promise<ReplyBody>>>;

/** The handlers a Hive runs: the reference ones, each replaced where the tamper seam says so. */
export function handlerTable(tamper: Tamper['handlers'] = {}): HandlerTable {
  return Object.fromEntries(
    REQUEST_CODES.map((code) => {
      const original: Handler = HANDLERS[code];
      const replacement = tamper[code] as HandlerTamper | undefined;
      return [code, replacement ? (ctx: HandlerContext) => replacement(ctx, original) : original];
    }),
  ) as HandlerTable;
}
