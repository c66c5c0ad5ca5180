// Values the schemas cannot give: which user is logged in, with what session,
// in which conversations. Generated requests hold placeholders for them, so a
// seed always generates the same requests; a placeholder becomes a value of
// this run's state only when the request is sent.
import type { CheckContext, SessionUser, TestUser } from '../checks/context.js';
import { SYSTEM_USER, systemAddress } from '../protocol/address.js';
import { CODES, isRequestCode, type RequestCode } from '../protocol/codes.js';
import { PEER_NAMES, peerDomain, peerSystemAddress } from '../peer/domains.js';
import { BadUtf8, RawJson, Twice } from './wire.js';

/** What a placeholder stands for. */
export type LiveKind =
  /** iam: the logged-in user, a new name (registration) or a peer Hive's psychocat (Hive-to-Hive codes). */
  | 'identity'
  | 'password'
  | 'session'
  /** A user address: one that can receive (aimed), or any, some of which cannot. */
  | 'address'
  /** A peer Hive's psychocat address (A3). */
  | 'system'
  /** A conversation id: one the user is in (aimed), or any. */
  | 'conversation';

/** How an address placeholder is written: in full, bare (A2, own domain only) or upper-case (A1 compares without case). */
export type AddressForm = 'full' | 'bare' | 'upper';

/** A value of the run's state, chosen by `pick` when the request is sent. */
export class Live {
  constructor(
    readonly kind: LiveKind,
    readonly pick: number,
    readonly aimed: boolean,
    readonly form: AddressForm = 'full',
  ) {}
  toJSON(): string {
    return `<${this.aimed ? 'aimed ' : ''}${this.kind} #${this.pick}${this.form === 'full' ? '' : ' ' + this.form}>`;
  }
}

/** A value made from another once that one is known (a lone surrogate inserted into the session key, say). */
export class Derived {
  constructor(
    readonly from: unknown,
    readonly how: string,
    readonly make: (value: unknown) => unknown,
  ) {}
  toJSON(): string {
    return `<${this.how} of ${JSON.stringify(this.from)}>`;
  }
}

/** The state a check arranges before fuzzing: the user requests act for, and what exists around them. */
export interface LiveState {
  readonly user: SessionUser;
  readonly addresses: {
    /** Addresses a message can go to: registered users, psychocat, a remote address. */
    readonly deliverable: readonly string[];
    /** Well-formed addresses that cannot receive: a local user that does not exist. */
    readonly undeliverable: readonly string[];
  };
  readonly conversations: {
    /** Conversations the user is in, each holding messages. */
    readonly member: readonly string[];
    /** A conversation the user is not in. */
    readonly foreign: readonly string[];
  };
}

/** What resolving placeholders needs of a check: the Hive's domain, new names, and log-ins. */
export type LiveContext = Pick<CheckContext, 'domain' | 'address' | 'uniqueName' | 'login'>;

/** The code whose iam must be a new name. */
const CREATES_IDENTITY: RequestCode = 'Epost_user_register';
/** The code that ends the session it is given: each request gets a session of its own, so the others keep theirs. */
const ENDS_SESSION: RequestCode = 'Epost_session_close';

/**
 * Registers the users and writes the messages the fuzz requests refer to:
 * the acting user A in two conversations (with B, with B and C), and a
 * conversation of B and C that A is not in.
 */
export async function arrangeLiveState(t: CheckContext): Promise<LiveState> {
  const [[a, b], c] = await Promise.all([t.loggedIn(2), t.user()]);
  const send = async (from: SessionUser, to: [TestUser, ...TestUser[]], body: string): Promise<string> => {
    const addresses = to.map((u) => u.address) as [string, ...string[]];
    const exchange = await t.call('Epost_msg_send', { iam: from.address, to: addresses, subject: 'fuzz', body }, { session: from.session });
    return t.expectOk(exchange, 'Q5', 'arranging conversations to fuzz').conv;
  };
  const [withB, , withBC, foreign] = await Promise.all([send(a, [b], 'one'), send(a, [b], 'two'), send(a, [b, c], 'three'), send(b, [c], 'four')]);
  const remote = `${t.uniqueName('far')}::${peerDomain('alpha')}`;
  return {
    user: a,
    addresses: {
      deliverable: [a.address, b.address, c.address, t.domain ? systemAddress(t.domain) : SYSTEM_USER, remote],
      undeliverable: [t.address(t.uniqueName('nobody'))],
    },
    conversations: { member: [withB, withBC], foreign: [foreign] },
  };
}

function pickOf<T>(items: readonly T[], pick: number): T {
  return items[pick % items.length]!;
}

function written(address: string, form: AddressForm, domain: string | undefined): string {
  if (form === 'upper') return address.toUpperCase();
  if (form === 'bare' && domain !== undefined && address.endsWith(`::${domain}`)) return address.slice(0, -(domain.length + 2));
  return address;
}


/** The peer Hives' psychocat addresses, which Hive-to-Hive requests act as. */
function peerSystems(): string[] {
  return PEER_NAMES.map(peerSystemAddress);
}

/** The value a placeholder stands for; a fresh session (for a request that ends the one it names) comes from `sessions`, logged in beforehand. */
function valueOf(live: Live, code: RequestCode, state: LiveState, t: LiveContext, sessions: string[]): unknown {
  switch (live.kind) {
    case 'identity':
      if (CODES[code].direction === 'H') return pickOf(peerSystems(), live.pick);
      return code === CREATES_IDENTITY ? t.address(t.uniqueName('reg')) : state.user.address;
    case 'password':
      return state.user.pass;
    case 'session':
      return code === ENDS_SESSION ? sessions.pop() : state.user.session;
    case 'address': {
      const { deliverable, undeliverable } = state.addresses;
      return written(pickOf(live.aimed ? deliverable : [...deliverable, ...undeliverable], live.pick), live.form, t.domain);
    }
    case 'system':
      return pickOf(peerSystems(), live.pick);
    case 'conversation': {
      const { member, foreign } = state.conversations;
      return pickOf(live.aimed ? member : [...member, ...foreign], live.pick);
    }
  }
}

/** How many session placeholders a value holds. */
function sessionPlaceholders(value: unknown): number {
  if (value instanceof Live) return value.kind === 'session' ? 1 : 0;
  if (value instanceof Derived) return sessionPlaceholders(value.from);
  if (value instanceof Twice) return sessionPlaceholders(value.first) + sessionPlaceholders(value.second);
  if (value instanceof RawJson || value instanceof BadUtf8 || value === null || typeof value !== 'object') return 0;
  return Object.values(value).reduce((sum: number, item) => sum + sessionPlaceholders(item), 0);
}

function resolveWith(value: unknown, code: RequestCode, state: LiveState, t: LiveContext, sessions: string[]): unknown {
  const resolve = (item: unknown): unknown => resolveWith(item, code, state, t, sessions);
  if (value instanceof Live) return valueOf(value, code, state, t, sessions);
  if (value instanceof Derived) return value.make(resolve(value.from));
  if (value instanceof Twice) return new Twice(resolve(value.first), resolve(value.second));
  if (value instanceof RawJson || value instanceof BadUtf8) return value;
  if (Array.isArray(value)) return value.map(resolve);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, resolve(item)]));
  return value;
}

/**
 * Replaces every placeholder in a request's parts by this run's value. Only
 * a request that ends a session waits, for fresh log-ins; the rest is a
 * plain walk (this runs for every fuzz request).
 */
export async function resolveLive(value: unknown, code: string, state: LiveState, t: LiveContext): Promise<unknown> {
  const known: RequestCode = isRequestCode(code) ? code : 'Epost_ping';
  const sessions = known === ENDS_SESSION ? await Promise.all(Array.from({ length: sessionPlaceholders(value) }, () => t.login(state.user))) : [];
  return resolveWith(value, known, state, t, sessions);
}
