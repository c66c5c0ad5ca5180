import type * as S from '../generated/schemas.js';
import type { RuleId } from './rules.js';

/** C6: a Hive answers Epost_msg_relay within 30 s, step 2 at the relaying Hive included. */
export const RELAY_ANSWER_MS = 30_000;

/** Who may send a request code: a client (C), another Hive's psychocat (H), or either. */
export type Direction = 'C' | 'H' | 'C/H';

export interface CodeSpec {
  readonly code: RequestCode;
  /** The profile rule that is the request code's own section ([Q1]…[Q11]). */
  readonly rule: RuleId;
  readonly direction: Direction;
  /** Carries iam + session and gets -1.303 without a valid one (U1, U2). */
  readonly session: boolean;
  /** Takes start and limit (E4). */
  readonly paged: boolean;
  /** Parts beyond iam, w and session that the code lists. */
  readonly parts: readonly string[];
  /** Members a resp: 1 reply carries beyond resp. */
  readonly replyMembers: readonly string[];
  /** Every resp the code may answer with. */
  readonly replies: readonly number[];
}

/** Request and success-reply types of each code, derived from schemas/. */
export interface CodeTypes {
  Epost_ping: { request: S.PingRequest; reply: S.PingReply; ok: S.PingOk };
  Epost_user_register: { request: S.UserRegisterRequest; reply: S.UserRegisterReply; ok: S.BareReply };
  Epost_session_open: { request: S.SessionOpenRequest; reply: S.SessionOpenReply; ok: S.SessionOpenOk };
  Epost_session_close: { request: S.SessionCloseRequest; reply: S.SessionCloseReply; ok: S.BareReply };
  Epost_msg_send: { request: S.MsgSendRequest; reply: S.MsgSendReply; ok: S.MsgSendOk };
  Epost_conv_new: { request: S.ConvNewRequest; reply: S.ConvNewReply; ok: S.ConvNewOk };
  Epost_conv_old: { request: S.ConvOldRequest; reply: S.ConvOldReply; ok: S.ConvOldOk };
  Epost_contact_add: { request: S.ContactAddRequest; reply: S.ContactAddReply; ok: S.BareReply };
  Epost_contact_block: { request: S.ContactBlockRequest; reply: S.ContactBlockReply; ok: S.BareReply };
  Epost_contact_remove: { request: S.ContactRemoveRequest; reply: S.ContactRemoveReply; ok: S.BareReply };
  Epost_contact_list: { request: S.ContactListRequest; reply: S.ContactListReply; ok: S.ContactListOk };
  Epost_msg_relay: { request: S.MsgRelayRequest; reply: S.MsgRelayReply; ok: S.BareReply };
  Epost_msg_fetch: { request: S.MsgFetchRequest; reply: S.MsgFetchReply; ok: S.MsgFetchOk };
}
export type RequestCode = keyof CodeTypes;
/** The parts a caller supplies for a code: the request without w (the client adds it) and without session (passed as an option). */
export type PartsOf<C extends RequestCode> = Omit<CodeTypes[C]['request'], 'w' | 'session'>;
export type OkReplyOf<C extends RequestCode> = CodeTypes[C]['ok'];

const ERR = [-1, -1.1] as const;
const SESSION_ERR = [...ERR, -1.3, -1.303] as const;

function spec(code: RequestCode, rule: RuleId, direction: Direction, session: boolean, parts: string[], replies: number[], replyMembers: string[] = [], paged = false): CodeSpec {
  return { code, rule, direction, session, paged, parts, replies, replyMembers };
}

/** The thirteen request codes of profile section 5 (E2): nothing else exists. */
export const CODES: Readonly<Record<RequestCode, CodeSpec>> = {
  Epost_ping: spec('Epost_ping', 'Q1', 'C/H', false, [], [1, ...ERR], ['hive', 'version']),
  Epost_user_register: spec('Epost_user_register', 'Q2', 'C', false, ['pass'], [1, -1.304, ...ERR]),
  Epost_session_open: spec('Epost_session_open', 'Q3', 'C', false, ['pass'], [1, -1.301, -1.3, ...ERR], ['session']),
  Epost_session_close: spec('Epost_session_close', 'Q4', 'C', true, [], [1, ...SESSION_ERR]),
  Epost_msg_send: spec('Epost_msg_send', 'Q5', 'C', true, ['to', 'subject', 'body', 'format'], [1, -3.3, -3.4, ...SESSION_ERR], ['conv', 'msg']),
  Epost_conv_new: spec('Epost_conv_new', 'Q6', 'C', true, ['conv'], [1, 0, -3.2, ...SESSION_ERR], ['msgs']),
  Epost_conv_old: spec('Epost_conv_old', 'Q7', 'C', true, ['conv', 'start', 'limit'], [1, 0, -3.2, ...SESSION_ERR], ['msgs'], true),
  Epost_contact_add: spec('Epost_contact_add', 'Q8', 'C', true, ['contact'], [1, -3.3, ...SESSION_ERR]),
  Epost_contact_block: spec('Epost_contact_block', 'Q8', 'C', true, ['contact'], [1, -3.3, ...SESSION_ERR]),
  Epost_contact_remove: spec('Epost_contact_remove', 'Q8', 'C', true, ['contact'], [1, 0, -3.3, ...SESSION_ERR]),
  Epost_contact_list: spec('Epost_contact_list', 'Q9', 'C', true, [], [1, ...SESSION_ERR], ['contacts']),
  Epost_msg_relay: spec('Epost_msg_relay', 'Q10', 'H', false, ['ticket'], [1, 0, -3.3, -3.4, ...ERR]),
  Epost_msg_fetch: spec('Epost_msg_fetch', 'Q11', 'H', false, ['ticket'], [1, 0, ...ERR], ['msg']),
};

export const REQUEST_CODES = Object.keys(CODES) as RequestCode[];

export function isRequestCode(w: unknown): w is RequestCode {
  return typeof w === 'string' && Object.hasOwn(CODES, w);
}

export const PROTOCOL_VERSION = '0.2.1';
