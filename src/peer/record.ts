import type { Exchange } from '../client/exchange.js';
import type { RuleId } from '../protocol/rules.js';
import type { PeerName } from './domains.js';

/** Why the peer server did not expect a request, and the rule the Hive broke by sending it. */
export interface Unexpected {
  readonly rule: RuleId;
  readonly reason: string;
}

/** One request the peer server received: everything an implementer needs to see what their Hive tried. */
export interface PeerRequest {
  /** Arrival order. */
  readonly seq: number;
  /** Arrival time, milliseconds since the epoch. */
  readonly receivedAt: number;
  /** The connection's source, address:port. */
  readonly source: string;
  readonly method: string;
  /** The request target as sent: path and query. */
  readonly target: string;
  readonly path: string;
  /** The peer Hive whose base path it came to; undefined off those paths. */
  readonly peer: PeerName | undefined;
  /** The request code (w), when the parts could be read. */
  readonly code: string | undefined;
  readonly parts: Readonly<Record<string, unknown>> | undefined;
  /** Why the parts could not be read, when they could not (T4). */
  readonly undecodable: string | undefined;
  /** The check whose scenario the request belongs to, when its ticket or recipients tell; set by the server. */
  scenario: string | undefined;
  /** Set by the server when the request was not one it expected. */
  unexpected: Unexpected | undefined;
  /**
   * Set by the server for a step 2 of a ticket no scenario issued, which is
   * not wrong in itself: other checks relay tickets as the peer Hives too.
   */
  unattributed: string | undefined;
  /** Set by the server: the status it answered with, or that the connection ended first; and when. */
  outcome: { readonly status: number; readonly at: number } | { readonly closed: true; readonly at: number } | undefined;
}

/** A relay the Hive under test sent a peer Hive, with the peer's own step 2 back to the Hive. */
export interface RelayRecord {
  readonly request: PeerRequest;
  readonly peer: PeerName;
  readonly ticket: string;
  readonly fetch: Exchange;
  /** The recipients at this peer Hive the fetched Message names, lower-case; empty when the fetch brought no Message. */
  readonly recipients: readonly string[];
}

export function ticketOf(request: PeerRequest): string | undefined {
  const ticket = request.parts?.ticket;
  return typeof ticket === 'string' ? ticket : undefined;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** One line per request: when, from where, what, and what the peer answered. */
export function describePeerRequest(request: PeerRequest, since?: number): string {
  const when = since === undefined ? new Date(request.receivedAt).toISOString() : `+${request.receivedAt - since} ms`;
  const what = request.parts ? `${request.code ?? '(no w)'} ${clip(JSON.stringify(request.parts), 200)}` : `(${request.undecodable ?? 'no parts'})`;
  const outcome = request.outcome === undefined ? 'not answered yet' : 'status' in request.outcome ? `answered ${request.outcome.status}` : 'connection closed before an answer';
  const why = request.unexpected ? ` — unexpected [${request.unexpected.rule}]: ${request.unexpected.reason}` : request.unattributed ? ` — ${request.unattributed}` : '';
  return `${when} from ${request.source}: ${request.method} ${clip(request.path, 120)} ${what}; ${outcome}${why}`;
}
