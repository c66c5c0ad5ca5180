import { RESP } from '../protocol/reply-codes.js';
import { bare, type Handler, type Hive } from './context.js';

/** What the session check of a session code looks at (U2). */
export interface SessionCheck {
  readonly hive: Hive;
  /** The session part as sent: anything, or undefined when missing. */
  readonly key: unknown;
  /** The full address iam names. */
  readonly user: string;
  readonly clientIp: string;
}

export type SessionChecker = (check: SessionCheck) => boolean;

/**
 * U2: a key is good only for the user and client IP it was opened for, until
 * closed or idle for sessionIdleMs. A good key counts as used now.
 */
export const checkSession: SessionChecker = ({ hive, key, user, clientIp }) => {
  if (typeof key !== 'string') return false;
  const session = hive.store.session(key);
  if (!session) return false;
  const now = hive.now();
  if (now - session.lastUsed >= hive.sessionIdleMs) {
    hive.store.deleteSession(key);
    return false;
  }
  if (session.user !== user || session.ip !== clientIp) return false;
  hive.store.putSession(key, { ...session, lastUsed: now });
  return true;
};

/** Opens a session for a user who proved their password, bound to the client IP; returns the key (U3). */
export function startSession(hive: Hive, user: string, clientIp: string): string {
  const key = hive.newSessionKey();
  hive.store.putSession(key, { user, ip: clientIp, lastUsed: hive.now() });
  return key;
}

/** Q4: the key is invalid from now on. */
export const closeSession: Handler<'Epost_session_close'> = async ({ hive, session }) => {
  if (session !== undefined) hive.store.deleteSession(session);
  return bare(RESP.OK);
};
