// Sends a fuzz request and shows it in reports.
import { respOf, sessionKeyOf, type Exchange } from '../client/exchange.js';
import { RELAY_ANSWER_MS } from '../protocol/codes.js';
import { resolveLive, type LiveState } from './live.js';
import type { Trail } from './runner.js';
import type { PartsRequest } from './valid.js';
import type { RawSample } from './wild.js';
import { encodeParts } from './wire.js';

export type FuzzRequest = PartsRequest | RawSample;

/** The code whose reply waits for countersign step 2 at another Hive, and how long C6 lets that take (plus a margin). */
const WAITS_FOR_ANOTHER_HIVE = 'Epost_msg_relay';
const RELAY_REPLY_MS = RELAY_ANSWER_MS + 5_000;

export interface Sent {
  readonly exchange: Exchange;
  /** The parts as sent, placeholders replaced; absent for a request written byte for byte. */
  readonly parts?: Readonly<Record<string, unknown>>;
}

/** A session a fuzz request opened is closed at once; the closing is housekeeping, not evidence, so it is not recorded. */
async function closeOpenedSession(trail: Trail, exchange: Exchange, parts: Readonly<Record<string, unknown>>): Promise<void> {
  const session = sessionKeyOf(exchange);
  if (exchange.code === 'Epost_session_open' && respOf(exchange) === 1 && session !== undefined) {
    await trail.t.env.client.call('Epost_session_close', { iam: parts.iam }, { session });
  }
}

export async function sendRequest(request: FuzzRequest, state: LiveState, trail: Trail): Promise<Sent> {
  if (request.kind === 'raw') {
    const headers = request.contentType !== undefined ? { 'content-type': request.contentType } : undefined;
    return { exchange: await trail.send({ method: request.method, ...(request.query !== undefined ? { query: request.query } : {}), ...(request.body ? { body: request.body } : {}), ...(headers ? { headers } : {}) }) };
  }
  const parts = (await resolveLive(request.parts, request.code, state, trail.t)) as Record<string, unknown>;
  const w = parts.w;
  const raw = encodeParts(parts, request.method, trail.t.env.client.baseUrl, typeof w === 'string' ? w : undefined);
  const exchange = await trail.send(w === WAITS_FOR_ANOTHER_HIVE ? { ...raw, timeoutMs: Math.max(RELAY_REPLY_MS, trail.t.settings.timeoutMs) } : raw);
  await closeOpenedSession(trail, exchange, parts);
  return { exchange, parts };
}

const LONG = 80;

/** JSON with every character outside printable ASCII written as an escape, long strings cut: invisible Unicode made visible. */
export function showValue(value: unknown): string {
  const json = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' && item.length > LONG ? `${item.slice(0, LONG)}...(${[...item].length} characters)` : item)) ?? String(value);
  return json.replace(/[^\x20-\x7e]/gu, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

export function showRequest(request: FuzzRequest): string {
  if (request.kind === 'raw') {
    const content = request.query ?? showValue(request.body?.subarray(0, LONG).toString('utf8'));
    return `${request.method} with ${request.what}${request.contentType ? ` (Content-Type ${request.contentType})` : ''}: ${content}`;
  }
  const fault = request.fault ? `, ${request.fault.part} ${request.fault.how}` : '';
  return `${request.code} by ${request.method}${fault}: ${showValue(request.parts)}`;
}
