// Requests the transport checks build by hand, byte for byte: the client's own
// encoding would hide the very forms T3, T4 and T7 ask about.
import type { CheckContext } from '../../src/checks/context.js';
import type { RawRequest } from '../../src/client/client.js';
import type { Exchange } from '../../src/client/exchange.js';

/** The parts of an Epost_ping from a made-up user: the cheapest request that must succeed. */
export function pingParts(t: CheckContext): { w: 'Epost_ping'; iam: string } {
  return { w: 'Epost_ping', iam: t.address(t.uniqueName('p')) };
}

export const JSON_TYPE = { 'content-type': 'application/json' };

/** A POST of exactly these bytes, as a client would label them. */
export function jsonPost(body: string | Buffer): RawRequest {
  return { method: 'POST', body, headers: JSON_TYPE };
}

/** A POST of exactly these bytes, read as a request of `code`. */
export function post(t: CheckContext, body: string | Buffer, { code = 'Epost_ping', headers = JSON_TYPE }: { code?: string; headers?: Record<string, string> } = {}): Promise<Exchange> {
  return t.send({ ...jsonPost(body), headers, code });
}

/** A GET with this query string as written ('?w=…'), read as a request of `code`. */
export function get(t: CheckContext, query: string, code = 'Epost_ping'): Promise<Exchange> {
  return t.send({ method: 'GET', query, code });
}

/** JSON text of a value, percent-encoded for a query string (T4). */
export function queryValue(value: unknown): string {
  return encodeURIComponent(JSON.stringify(value));
}
