// How a fuzz request goes on the wire (T4): GET with every part a query
// parameter of JSON text, or POST with one JSON object, including what no
// JSON encoder writes: literal number text, tokens that are not JSON, bytes
// that are not UTF-8, a part given twice.
import type { RawRequest } from '../client/client.js';
import { RawJson } from './numbers.js';

export { RawJson };

/** A string part whose encoding carries bytes that are not UTF-8 between two pieces of text. */
export class BadUtf8 {
  constructor(
    readonly before: string,
    readonly bytes: readonly number[],
    readonly after: string,
  ) {}
  toJSON(): string {
    return `badUtf8(${JSON.stringify(this.before)} + ${this.bytes.map((b) => b.toString(16)).join(' ')} + ${JSON.stringify(this.after)})`;
  }
}

/** A part given twice, with these two values. */
export class Twice {
  constructor(
    readonly first: unknown,
    readonly second: unknown,
  ) {}
  toJSON(): string {
    return `twice(${JSON.stringify(this.first)}, ${JSON.stringify(this.second)})`;
  }
}

export type Method = 'GET' | 'POST';

/** The profile's GET URL size every Hive must accept (T11); beyond it a URL may be refused by the HTTP layer. */
export const MAX_GET_URL_BYTES = 8 * 1024;

/** A value's JSON text as bytes, markers included. */
function encodeValue(value: unknown): Buffer {
  if (value instanceof RawJson) return Buffer.from(value.text);
  if (value instanceof BadUtf8) {
    const quoted = (text: string) => JSON.stringify(text).slice(1, -1);
    return Buffer.concat([Buffer.from(`"${quoted(value.before)}`), Buffer.from(value.bytes), Buffer.from(`${quoted(value.after)}"`)]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('['), join(value.map(encodeValue)), Buffer.from(']')]);
  if (value !== null && typeof value === 'object' && !(value instanceof Twice)) {
    return Buffer.concat([Buffer.from('{'), join(Object.entries(value).flatMap(([name, item]) => member(name, item))), Buffer.from('}')]);
  }
  return Buffer.from(JSON.stringify(value) ?? 'null');
}

function join(pieces: Buffer[]): Buffer {
  return Buffer.concat(pieces.flatMap((piece, i) => (i === 0 ? [piece] : [Buffer.from(','), piece])));
}

function member(name: string, value: unknown): Buffer[] {
  if (value instanceof Twice) return [...member(name, value.first), ...member(name, value.second)];
  return [Buffer.concat([Buffer.from(`${JSON.stringify(name)}:`), encodeValue(value)])];
}

const UNRESERVED = new Set([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~'].map((c) => c.charCodeAt(0)));
const ESCAPED = Array.from({ length: 256 }, (_, byte) => (UNRESERVED.has(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`));

/** Percent-encodes bytes, leaving only URL-safe characters as they are; bytes that are not UTF-8 stay bytes (%FF). */
function percentEncode(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += ESCAPED[byte];
  return out;
}

function queryParameters(name: string, value: unknown): string[] {
  if (value instanceof Twice) return [...queryParameters(name, value.first), ...queryParameters(name, value.second)];
  return [`${percentEncode(Buffer.from(name))}=${percentEncode(encodeValue(value))}`];
}

/** The POST body of parts: one JSON object (T4). */
export function postBody(parts: Readonly<Record<string, unknown>>): Buffer {
  return encodeValue(parts);
}

/** The GET query of parts, '?'-prefixed: each part a parameter holding JSON text (T4). */
export function getQuery(parts: Readonly<Record<string, unknown>>): string {
  return '?' + Object.entries(parts).flatMap(([name, value]) => queryParameters(name, value)).join('&');
}

/**
 * The request that carries `parts` by `method`. A GET whose URL would pass
 * the size every Hive must accept goes as POST instead, so the fuzzer never
 * asks for more than T11 promises.
 */
export function encodeParts(parts: Readonly<Record<string, unknown>>, method: Method, baseUrl: URL, code?: string): RawRequest {
  const common = code !== undefined ? { code } : {};
  if (method === 'GET') {
    const query = getQuery(parts);
    if (Buffer.byteLength(baseUrl.origin + baseUrl.pathname + query) <= MAX_GET_URL_BYTES) return { ...common, method, query };
  }
  return { ...common, method: 'POST', headers: { 'content-type': 'application/json' }, body: postBody(parts) };
}
