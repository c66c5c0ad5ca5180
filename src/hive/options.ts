import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestCode } from '../protocol/codes.js';
import type { Handler, HandlerContext, ReplyBody } from './context.js';
import type { DomainMap } from './domain-map.js';
import type { OutgoingReply } from './http.js';
import type { IpLimits } from './ip-limits.js';
import type { SessionCheck, SessionChecker } from './sessions.js';
import type { HiveStore, PasswordCost } from './store.js';

export interface HiveOptions {
  /** The Hive's own domain (A1): bare addresses name its users (A2), its psychocat speaks for it (A3). */
  readonly domain: string;
  /**
   * Domain → base URL for other Hives, as a map, an object or the text form
   * `d1=url1,d2=url2` (parseDomainMap); unmapped domains are at https://epost.<domain>/ (T2).
   */
  readonly resolve?: string | DomainMap | Readonly<Record<string, string>>;
  /** A session idle this long is over (U2). Default 30 minutes. */
  readonly sessionIdleMs?: number;
  /** Deadline of each request to another Hive, countersign step 2 included (C3). Default 10 s. */
  readonly fetchTimeoutMs?: number;
  /** Larger request bodies get -1.1 unread. Default 1 MiB; below 256 KiB the Hive breaks T11. */
  readonly maxBodyBytes?: number;
  /** Client IPs of proxies whose X-Forwarded-For is believed (U4). Default none. */
  readonly trustedProxies?: readonly string[];
  /** scrypt cost of new password hashes. Default DEFAULT_PASSWORD_COST (N = 2^15); tests and the embedded Hive of `pame run` pass TEST_PASSWORD_COST. */
  readonly passwordCost?: PasswordCost;
  /** How long a delivered relay's ticket is remembered, so a second relay of it is not delivered again (Q10). Default 24 hours, far past any ticket's life. */
  readonly relayMarkerMs?: number;
  /** How often idle sessions, expired tickets and old relay markers are swept. Default 1 minute. */
  readonly sweepIntervalMs?: number;
  /** Per-IP limits on registrations and sends; none by default (tests and `pame run` register many users from one address); `pame hive` applies DEFAULT_IP_LIMITS. */
  readonly ipLimits?: IpLimits;
  /** Default: a new MemoryStore. */
  readonly store?: HiveStore;
  /** Seams for known-bad fixture Hives; a conformant Hive leaves this out. */
  readonly tamper?: Tamper;
}

/** Replaces one request code's handler; `original` is the reference behaviour, to call or not. */
export type HandlerTamper<C extends RequestCode = RequestCode> = (ctx: HandlerContext, original: Handler<C>) => Promise<ReplyBody>;

/**
 * Ways to build "the reference Hive with exactly one rule broken" without
 * editing src/hive. Each seam is optional and gets the reference behaviour
 * to fall back on.
 */
export interface Tamper {
  /** Per request code, run instead of the reference handler (after the envelope and session checks). */
  readonly handlers?: { readonly [C in RequestCode]?: HandlerTamper<C> };
  /** The session check of session codes (U2): true lets the request through. */
  readonly session?: (check: SessionCheck, original: SessionChecker) => boolean;
  /** Rewrites every reply (status, headers, body) just before it is written. */
  readonly reply?: (reply: OutgoingReply, req: IncomingMessage) => OutgoingReply;
  /** Sees each raw request first; true means it answered the request itself. */
  readonly http?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /** Countersign tickets (C5). */
  readonly ticketFactory?: () => string;
  /** Session keys (U3). */
  readonly sessionKeyFactory?: () => string;
  /** Milliseconds since the epoch: message dates, session idleness, ticket lifetime. */
  readonly clock?: () => number;
}

export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_RELAY_MARKER_MS = 24 * 60 * 60_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/**
 * Cap on a reply from another Hive. Generous: a message that fitted in a
 * request body can grow when JSON escapes its control characters.
 */
export const MAX_PEER_REPLY_BYTES = 8 * 1024 * 1024;
