// Requests no client should send: bodies that are not one JSON object, bytes
// that are not text, nesting without end, queries of noise, and request codes
// the profile does not have (E2). Whatever arrives, a Hive answers (T6, T7).
import fc from 'fast-check';
import { REQUEST_CODES, isRequestCode, type RequestCode } from '../protocol/codes.js';
import { hugeText } from './text.js';
import { anyValidRequest, type PartsRequest } from './valid.js';
import type { Method } from './wire.js';

/** A request written byte for byte. */
export interface RawSample {
  readonly kind: 'raw';
  readonly method: Method;
  /** '?'-prefixed query, for GET. */
  readonly query?: string;
  readonly body?: Buffer;
  readonly contentType?: string;
  /** What it is, for the report. */
  readonly what: string;
}

const post = (what: string, body: string | Uint8Array, contentType?: string): RawSample => ({
  kind: 'raw', method: 'POST', body: Buffer.from(body), what, ...(contentType !== undefined ? { contentType } : {}),
});

// T4: a POST body is read as JSON whatever Content-Type says.
const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', undefined];

const envelope = (code: RequestCode) => `"w":${JSON.stringify(code)},"iam":"fuzz"`;

const rawBodies: fc.Arbitrary<RawSample> = fc.oneof(
  fc.jsonValue().filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)).map((value) => post('a body that is JSON but no object', JSON.stringify(value))),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => post('random bytes', bytes)),
  fc.record({ code: fc.constantFrom(...REQUEST_CODES), cut: fc.nat() }).map(({ code, cut }) => {
    const whole = `{${envelope(code)},"session":"x"}`;
    return post('a body cut short', whole.slice(0, cut % whole.length));
  }),
  fc.record({ code: fc.constantFrom(...REQUEST_CODES), depth: fc.integer({ min: 50, max: 5000 }) }).map(({ code, depth }) =>
    post(`a part nested ${depth} deep`, `{${envelope(code)},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
  fc.constantFrom(...REQUEST_CODES).map((code) => post('a byte order mark before the body', `\uFEFF{${envelope(code)}}`)),
  fc.record({ code: fc.constantFrom(...REQUEST_CODES), pad: hugeText(16 * 1024, 96 * 1024) }).map(({ code, pad }) =>
    post(`a body of ${Buffer.byteLength(pad)} bytes`, `{${envelope(code)},"pad":${JSON.stringify(pad)}}`)),
  fc.record({ parts: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), code: fc.constantFrom(...REQUEST_CODES) }).map(({ parts, code }) =>
    post('random parts', JSON.stringify({ ...parts, w: code }))),
);

const withContentType = fc.record({ sample: rawBodies, contentType: fc.constantFrom(...CONTENT_TYPES) })
  .map(({ sample, contentType }) => ({ ...sample, ...(contentType !== undefined ? { contentType } : {}) }));

const QUERY_PIECES = ['w', 'iam', 'session', '=', '&', '%', '%2', '%FF', '%22', '%00', '+', '[', ']', '{', '}', 'a', ';', 'Epost_ping', '%22Epost_ping%22', '%E2%80%AE', '%ED%A0%80'];

const noisyQueries: fc.Arbitrary<RawSample> = fc.array(fc.constantFrom(...QUERY_PIECES), { maxLength: 40 })
  .map((pieces) => ({ kind: 'raw' as const, method: 'GET' as const, query: `?${pieces.join('')}`, what: 'a query of noise' }));

/** Requests written byte for byte: broken bodies and queries (T4). */
export const wildRequest: fc.Arbitrary<RawSample> = fc.oneof({ weight: 3, arbitrary: withContentType }, { weight: 1, arbitrary: noisyQueries });

// Names a Hive might answer by mistake: the forbidden things of §8 (counts,
// lists of users, subscriptions), and what a tolerant router would match.
const STEMS = ['user', 'users', 'msg', 'conv', 'contact', 'session', 'chat', 'admin', 'stats', 'file', 'attachment', 'debug'];
const VERBS = ['list', 'count', 'delete', 'search', 'info', 'export', 'all', 'unread', 'subscribe', 'ip', 'location', 'get'];
const HOMOGLYPHS: Readonly<Record<string, string>> = { o: 'о', p: 'р', e: 'е', a: 'а', c: 'с', i: 'і' };

function changeCase(code: string, flips: readonly boolean[]): string {
  return [...code].map((char, i) => (flips[i % flips.length] ? (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase()) : char)).join('');
}

/** Request codes §5 does not have (E2): near misses of real ones, plausible inventions, noise. */
export const unknownCode: fc.Arbitrary<string> = fc.oneof(
  fc.record({ code: fc.constantFrom(...REQUEST_CODES), flips: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }) }).map(({ code, flips }) => changeCase(code, flips)),
  fc.record({ code: fc.constantFrom(...REQUEST_CODES), affix: fc.constantFrom(' ', '\u0000', '\u200B', '_v2', 's', '/', '\n'), before: fc.boolean() })
    .map(({ code, affix, before }) => (before ? affix + code : code + affix)),
  fc.record({ stem: fc.constantFrom(...STEMS), verb: fc.constantFrom(...VERBS) }).map(({ stem, verb }) => `Epost_${stem}_${verb}`),
  fc.record({ code: fc.constantFrom(...REQUEST_CODES), at: fc.nat() }).map(({ code, at }) => {
    const spots = [...code].flatMap((char, i) => (HOMOGLYPHS[char] ? [i] : []));
    const i = spots[at % spots.length]!;
    return code.slice(0, i) + HOMOGLYPHS[code[i]!]! + code.slice(i + 1);
  }),
  fc.string({ maxLength: 24 }),
).filter((code) => !isRequestCode(code));

/** A valid request of some code, sent with an unknown code as its `w`. */
export const unknownCodeRequest: fc.Arbitrary<PartsRequest> = fc.record({ request: anyValidRequest('aimed'), w: unknownCode })
  .map(({ request, w }) => ({ ...request, parts: { ...request.parts, w }, fault: { part: 'w', how: `${JSON.stringify(w)}, no request code of §5` } }));
