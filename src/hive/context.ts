import type { ReplyCode } from '../generated/schemas.js';
import type { Address } from '../protocol/address.js';
import type { CodeTypes, RequestCode } from '../protocol/codes.js';
import type { IpLimits } from './ip-limits.js';
import type { Outbound } from './outbound.js';
import type { HiveStore, PasswordCost } from './store.js';

/** A request's parts as decoded from the query or the body (T4). */
export type Parts = Readonly<Record<string, unknown>>;

/**
 * A reply object as it is written. The reference handlers give ReplyOf<C>;
 * a tampered handler (a known-bad fixture) may give any object at all.
 */
export type ReplyBody = object;

/** The replies a request code may give, as the schemas define them. */
export type ReplyOf<C extends RequestCode> = CodeTypes[C]['reply'] | CodeTypes[C]['ok'];

/** A reply holding nothing but resp: every error and every bare success (F3). */
export function bare<R extends ReplyCode>(resp: R): { resp: R } {
  return { resp };
}

/** What a Hive is made of; every module works through this. */
export interface Hive {
  /** The Hive's own domain, lower-case. */
  readonly domain: string;
  readonly store: HiveStore;
  readonly sessionIdleMs: number;
  /** The scrypt cost new passwords are hashed at; each user record keeps its own. */
  readonly passwordCost: PasswordCost;
  /** Clock time in milliseconds since the epoch. */
  now(): number;
  /** The base URL of a domain (T2). */
  resolve(domain: string): string;
  newTicket(): string;
  newSessionKey(): string;
  /** Requests to other Hives. */
  readonly outbound: Outbound;
  /** Counts a registration or a send from a client IP against its limit; false when the limit is reached. */
  admit(kind: keyof IpLimits, clientIp: string): boolean;
}

/** What a request code's handler is given, once the envelope (E1, E2) and, for session codes, the session (U2) are checked. */
export interface HandlerContext {
  readonly hive: Hive;
  readonly code: RequestCode;
  readonly parts: Parts;
  /** `iam`, parsed; for a session code the session check has made sure it is the session's user. */
  readonly iam: Address;
  /** The client's IP address (U2, U4). */
  readonly clientIp: string;
  /** The checked session key for a session code; undefined for the others. */
  readonly session: string | undefined;
}

export type Handler<C extends RequestCode = RequestCode> = (ctx: HandlerContext) => Promise<ReplyOf<C>>;
