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

/**
 * A value's JSON text, markers included, as pieces: text, and bytes only where
 * a BadUtf8 puts bytes that are not UTF-8. Text pieces are joined as strings
 * and become bytes once, which matters at fuzzing rates.
 */
function encodeValue(value: unknown, out: (string | Buffer)[]): void {
  if (value instanceof RawJson) out.push(value.text);
  else if (value instanceof BadUtf8) {
    const quoted = (text: string) => JSON.stringify(text).slice(1, -1);
    out.push(`"${quoted(value.before)}`, Buffer.from(value.bytes), `${quoted(value.after)}"`);
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      encodeValue(item, out);
    });
    out.push(']');
  } else if (value !== null && typeof value === 'object' && !(value instanceof Twice)) {
    out.push('{');
    let first = true;
    for (const [name, item] of Object.entries(value)) {
      for (const one of item instanceof Twice ? [item.first, item.second] : [item]) {
        if (!first) out.push(',');
        first = false;
        out.push(`${JSON.stringify(name)}:`);
        encodeValue(one, out);
      }
    }
    out.push('}');
  } else out.push(JSON.stringify(value) ?? 'null');
}

/** The pieces as one text when they are all text, else as bytes. */
function joined(pieces: readonly (string | Buffer)[]): string | Buffer {
  return pieces.every((piece) => typeof piece === 'string')
    ? pieces.join('')
    : Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
}

function encoded(value: unknown): string | Buffer {
  const pieces: (string | Buffer)[] = [];
  encodeValue(value, pieces);
  return joined(pieces);
}

const UNRESERVED = new Set([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~'].map((c) => c.charCodeAt(0)));
const ESCAPED = Array.from({ length: 256 }, (_, byte) => (UNRESERVED.has(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`));

/**
 * Percent-encodes the UTF-8 of text or raw bytes, leaving only URL-safe
 * characters as they are; bytes that are not UTF-8 stay bytes (%FF).
 * encodeURIComponent does the common case natively; it also spares !'()*,
 * which are escaped here, and refuses lone surrogates, which go the byte way
 * (as U+FFFD, as Buffer.from writes them).
 */
function percentEncode(data: string | Buffer): string {
  if (typeof data === 'string' && data.isWellFormed()) return encodeURIComponent(data).replace(/[!'()*]/g, (c) => ESCAPED[c.charCodeAt(0)]!);
  let out = '';
  for (const byte of Buffer.from(data)) out += ESCAPED[byte];
  return out;
}

function queryParameters(name: string, value: unknown): string[] {
  if (value instanceof Twice) return [...queryParameters(name, value.first), ...queryParameters(name, value.second)];
  return [`${percentEncode(name)}=${percentEncode(encoded(value))}`];
}

/** The POST body of parts: one JSON object (T4). */
export function postBody(parts: Readonly<Record<string, unknown>>): Buffer {
  const body = encoded(parts);
  return typeof body === 'string' ? Buffer.from(body) : body;
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
