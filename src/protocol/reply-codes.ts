import type { ReplyCode } from '../generated/schemas.js';
import { readSchemaFile } from '../paths.js';
import { excerpt } from './excerpt.js';

interface ReplyCodeSchema { oneOf: { const: number; title: string }[] }

/** The reply-code table of profile section 3, read from schemas/common/reply-codes.json. */
export const REPLY_CODES: ReadonlyMap<number, string> = new Map(
  readSchemaFile<ReplyCodeSchema>('common/reply-codes.json').oneOf.map((entry) => [entry.const, entry.title]),
);

/** Every reply code of the profile: what a matcher expects when any defined answer will do. */
export const ANY_REPLY_CODE: readonly number[] = [...REPLY_CODES.keys()];

export function isReplyCode(resp: unknown): resp is ReplyCode {
  return typeof resp === 'number' && REPLY_CODES.has(resp);
}

/** A reply code with its meaning; anything else a Hive put in resp, as JSON cut to an excerpt (a resp may be a megabyte of text). */
export function describeReplyCode(resp: unknown): string {
  return isReplyCode(resp) ? `${resp} (${REPLY_CODES.get(resp)})` : excerpt(JSON.stringify(resp) ?? String(resp));
}

/** Named reply codes, so code reads `RESP.BAD_REQUEST` rather than a bare -1.1. */
export const RESP = {
  OK: 1,
  NO: 0,
  UNKNOWN_ERROR: -1,
  BAD_REQUEST: -1.1,
  USER_NOT_VALID: -1.3,
  WRONG_LOGIN: -1.301,
  NOT_LOGGED_IN: -1.303,
  USER_EXISTS: -1.304,
  NO_CONVERSATION: -3.2,
  NOT_A_CONTACT: -3.3,
  NOT_WELCOME: -3.4,
} as const satisfies Record<string, ReplyCode>;
