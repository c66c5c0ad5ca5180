import type * as S from '../generated/schemas.js';
import type { RuleId } from './rules.js';

/** C6: a Hive answers Epost_msg_relay within 30 s, step 2 at the relaying Hive included. */
export const RELAY_ANSWER_MS = 30_000;

/** Who may send a request code: a client (C), another Hive's psychocat (H), or either. */
export type Direction = 'C' | 'H' | 'C/H';

/** What the profile says of a request code. */
interface CodeFacts {
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

export interface CodeSpec extends CodeFacts {
  readonly code: RequestCode;
}

/** The request, reply and success-reply types of a code, from schemas/: for the type checker alone, no value carries them. */
interface Typed<Request, Reply, Ok> {
  readonly types?: { request: Request; reply: Reply; ok: Ok };
}

const ERR = [-1, -1.1] as const;
const SESSION_ERR = [...ERR, -1.3, -1.303] as const;

function spec<Request, Reply, Ok = S.BareReply>(rule: RuleId, direction: Direction, session: boolean, parts: string[], replies: number[], replyMembers: string[] = [], paged = false): CodeFacts & Typed<Request, Reply, Ok> {
  return { rule, direction, session, paged, parts, replies, replyMembers };
}

/** The thirteen request codes of profile section 5 (E2), with the types of their requests and replies. */
const FACTS = {
  Epost_ping: spec<S.PingRequest, S.PingReply, S.PingOk>('Q1', 'C/H', false, [], [1, ...ERR], ['hive', 'version']),
  Epost_user_register: spec<S.UserRegisterRequest, S.UserRegisterReply>('Q2', 'C', false, ['pass'], [1, -1.304, ...ERR]),
  Epost_session_open: spec<S.SessionOpenRequest, S.SessionOpenReply, S.SessionOpenOk>('Q3', 'C', false, ['pass'], [1, -1.301, -1.3, ...ERR], ['session']),
  Epost_session_close: spec<S.SessionCloseRequest, S.SessionCloseReply>('Q4', 'C', true, [], [1, ...SESSION_ERR]),
  Epost_msg_send: spec<S.MsgSendRequest, S.MsgSendReply, S.MsgSendOk>('Q5', 'C', true, ['to', 'subject', 'body', 'format'], [1, -3.3, -3.4, ...SESSION_ERR], ['conv', 'msg']),
  Epost_conv_new: spec<S.ConvNewRequest, S.ConvNewReply, S.MessagesOk>('Q6', 'C', true, ['conv'], [1, 0, -3.2, ...SESSION_ERR], ['msgs']),
  Epost_conv_old: spec<S.ConvOldRequest, S.ConvOldReply, S.MessagesOk>('Q7', 'C', true, ['conv', 'start', 'limit'], [1, 0, -3.2, ...SESSION_ERR], ['msgs'], true),
  Epost_contact_add: spec<S.ContactAddRequest, S.ContactAddReply>('Q8', 'C', true, ['contact'], [1, -3.3, ...SESSION_ERR]),
  Epost_contact_block: spec<S.ContactBlockRequest, S.ContactBlockReply>('Q8', 'C', true, ['contact'], [1, -3.3, ...SESSION_ERR]),
  Epost_contact_remove: spec<S.ContactRemoveRequest, S.ContactRemoveReply>('Q8', 'C', true, ['contact'], [1, 0, -3.3, ...SESSION_ERR]),
  Epost_contact_list: spec<S.ContactListRequest, S.ContactListReply, S.ContactListOk>('Q9', 'C', true, [], [1, ...SESSION_ERR], ['contacts']),
  Epost_msg_relay: spec<S.MsgRelayRequest, S.MsgRelayReply>('Q10', 'H', false, ['ticket'], [1, 0, -3.3, -3.4, ...ERR]),
  Epost_msg_fetch: spec<S.MsgFetchRequest, S.MsgFetchReply, S.MsgFetchOk>('Q11', 'H', false, ['ticket'], [1, 0, ...ERR], ['msg']),
};

// A row that names another code's request type does not compile.
FACTS satisfies { readonly [Code in keyof typeof FACTS]: Typed<{ w: Code }, unknown, unknown> };

export type RequestCode = keyof typeof FACTS;
/** Request, reply and success-reply types of each code, as FACTS names them. */
export type CodeTypes = { [Code in RequestCode]: NonNullable<(typeof FACTS)[Code]['types']> };

/** Every request code, by name: nothing else exists. */
export const CODES = Object.fromEntries(Object.entries(FACTS).map(([code, facts]) => [code, { code, ...facts }])) as Readonly<Record<RequestCode, CodeSpec>>;

/** The parts a caller supplies for a code: the request without w (the client adds it) and without session (passed as an option). */
export type PartsOf<C extends RequestCode> = Omit<CodeTypes[C]['request'], 'w' | 'session'>;
export type OkReplyOf<C extends RequestCode> = CodeTypes[C]['ok'];

export const REQUEST_CODES = Object.keys(CODES) as RequestCode[];

export function isRequestCode(w: unknown): w is RequestCode {
  return typeof w === 'string' && Object.hasOwn(CODES, w);
}

export const PROTOCOL_VERSION = '0.2.1';
