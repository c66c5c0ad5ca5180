import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { SYSTEM_USER, type Address } from '../protocol/address.js';
import { charCount } from '../protocol/content.js';
import { RESP } from '../protocol/reply-codes.js';
import { bare, type Handler, type Hive } from './context.js';
import { PASSWORD_CHARS } from './limits.js';
import { startSession } from './sessions.js';
import type { PasswordCost } from './store.js';

/** The cost a Hive hashes new passwords at unless told otherwise: OWASP's scrypt minimum, N = 2^15 (about 50 ms and 32 MiB a hash). */
export const DEFAULT_PASSWORD_COST: PasswordCost = { N: 2 ** 15, r: 8, p: 1 };
/**
 * For the embedded Hive of `pame run` and the project's tests, never a public
 * Hive: at N = 1024 hashing took 60 % of the Hive's CPU under the fuzzer's
 * command sequences (bench/fuzz-throughput.ts), and at N = 256 still a sixth of
 * the self-tests' CPU. No check's verdict depends on the cost (the R2 timing
 * probe compares two log-ins that both hash), so it is the cheapest scrypt
 * allows in practice: N = 16, under 0.1 ms of CPU a hash.
 */
export const TEST_PASSWORD_COST: PasswordCost = { N: 16, r: 8, p: 1 };
const HASH_BYTES = 32;
const SALT_BYTES = 16;
/** Salt for hashing the password of a log-in to an unknown user (R2). */
const DECOY_SALT = randomBytes(SALT_BYTES);

function hashPassword(pass: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly N = 2^15, r = 8, so it is set from the cost.
  const maxmem = 256 * cost.N * cost.r;
  return new Promise((resolve, reject) => scrypt(pass, salt, HASH_BYTES, { ...cost, maxmem }, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * Whether an address can receive mail and be a contact: a local address must
 * name a registered user or psychocat (A3); a remote one is checked only for
 * its form, which parsing it already did (M3).
 */
export function isValidContact(hive: Hive, address: Address): boolean {
  return address.domain !== hive.domain || address.user === SYSTEM_USER || hive.store.user(address.user) !== undefined;
}

function isPassword(pass: unknown): pass is string {
  if (typeof pass !== 'string') return false;
  const chars = charCount(pass);
  return chars >= PASSWORD_CHARS.min && chars <= PASSWORD_CHARS.max;
}

/** Q2. Only the name and the password's hash are kept; any other part is ignored (F4). */
export const register: Handler<'Epost_user_register'> = async ({ hive, parts, iam, clientIp }) => {
  const pass = parts.pass;
  if (!isPassword(pass)) return bare(RESP.BAD_REQUEST);
  if (!hive.admit('registrations', clientIp)) return bare(RESP.UNKNOWN_ERROR);
  // A3: psychocat is reserved in every domain, so this comes before the domain check.
  if (iam.user === SYSTEM_USER) return bare(RESP.USER_EXISTS);
  if (iam.domain !== hive.domain) return bare(RESP.BAD_REQUEST);
  if (hive.store.user(iam.user)) return bare(RESP.USER_EXISTS);
  const salt = randomBytes(SALT_BYTES);
  const cost = hive.passwordCost;
  const hash = await hashPassword(pass, salt, cost);
  // The name may have been taken while hashing; addUser decides.
  return bare(hive.store.addUser({ name: iam.user, salt, hash, cost }) ? RESP.OK : RESP.USER_EXISTS);
};

/** Q3. Every failed log-in is the same -1.301, after the same work (R2). */
export const openSession: Handler<'Epost_session_open'> = async ({ hive, parts, iam, clientIp }) => {
  const pass = parts.pass;
  if (typeof pass !== 'string') return bare(RESP.BAD_REQUEST);
  const user = iam.domain === hive.domain ? hive.store.user(iam.user) : undefined;
  // An unknown user costs the same work as a known one at the Hive's current cost (R2).
  const hash = await hashPassword(pass, user?.salt ?? DECOY_SALT, user?.cost ?? hive.passwordCost);
  if (!user || !timingSafeEqual(hash, user.hash)) return bare(RESP.WRONG_LOGIN);
  return { resp: RESP.OK, session: startSession(hive, iam.full, clientIp) };
};
