import { parseAddress } from '../protocol/address.js';
import { CODES, isRequestCode } from '../protocol/codes.js';
import { RESP } from '../protocol/reply-codes.js';
import { readSchemaFile } from '../paths.js';
import { loneSurrogatePaths } from '../validator/index.js';
import { bare, type Hive, type Parts, type ReplyBody } from './context.js';
import type { HandlerTable } from './handlers.js';
import type { SessionChecker } from './sessions.js';

interface AddressSchema { $defs: { system: { pattern: string } } }
/** psychocat::<domain>, the domain written out (A3): the only iam a Hive-to-Hive request may carry. */
const SYSTEM_ADDRESS = new RegExp(readSchemaFile<AddressSchema>('common/address.json').$defs.system.pattern, 'u');

/**
 * Runs one request through the protocol's checks in the profile's order:
 * T5 (no lone surrogate anywhere), the envelope (E1, E2), iam of a
 * Hive-to-Hive code (A3), the session of a session code (U2) before any
 * other part, then the code's own handler.
 */
export async function dispatch(hive: Hive, handlers: HandlerTable, checkSession: SessionChecker, parts: Parts, clientIp: string): Promise<ReplyBody> {
  if (loneSurrogatePaths(parts).length > 0) return bare(RESP.BAD_REQUEST);
  const iam = parseAddress(parts.iam, hive.domain);
  const code = parts.w;
  // E2: an unknown code gets -1.1 and nothing else, as does a missing or malformed envelope (E1).
  if (!iam || !isRequestCode(code)) return bare(RESP.BAD_REQUEST);
  const spec = CODES[code];
  if (spec.direction === 'H' && !SYSTEM_ADDRESS.test(String(parts.iam))) return bare(RESP.BAD_REQUEST);
  if (spec.session && !checkSession({ hive, key: parts.session, user: iam.full, clientIp })) return bare(RESP.NOT_LOGGED_IN);
  const session = spec.session && typeof parts.session === 'string' ? parts.session : undefined;
  return handlers[code]({ hive, code, parts, iam, clientIp, session });
}
