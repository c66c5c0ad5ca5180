// Transport checks (profile §1): methods, request encoding, text, reply form,
// status codes, cookies, dates, TLS and size limits. T2 (the domain map) is
// exercised by the countersign family; T12 is not observable.
import { randomBytes } from 'node:crypto';
import { defineChecks, type Check, type Requirement } from '../src/checks/check.js';
import type { CheckContext } from '../src/checks/context.js';
import { encodeQuery, type RawRequest } from '../src/client/client.js';
import { headerValue, respOf, sessionKeyOf, type Exchange } from '../src/client/exchange.js';
import { probeTls } from '../src/client/tls.js';
import type { RequestCode } from '../src/protocol/codes.js';
import type { RuleId } from '../src/protocol/rules.js';
import { charCount } from '../src/protocol/content.js';
import { ANY_REPLY_CODE } from '../src/protocol/reply-codes.js';
import { systemAddress } from '../src/protocol/address.js';
import { UNREACHABLE_DOMAIN } from '../src/peer/domains.js';
import { readSchemaFile } from '../src/paths.js';
import { METHODS, readMessage, readPage, sendMessage, type Method, type SessionUser } from '../src/checks/conversation-steps.js';

// ---- shared steps ---------------------------------------------------------------


/** The parts of an Epost_ping from a made-up user: the cheapest request that must succeed. */
function pingParts(t: CheckContext): { w: 'Epost_ping'; iam: string } {
  return { w: 'Epost_ping', iam: t.address(t.uniqueName('p')) };
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** A POST of exactly these bytes, as a client would label them. */
function jsonPost(body: string | Buffer): RawRequest {
  return { method: 'POST', body, headers: JSON_TYPE };
}

/** A POST of exactly these bytes, read as a request of `code`. */
function post(t: CheckContext, body: string | Buffer, { code = 'Epost_ping', headers = JSON_TYPE }: { code?: string; headers?: Record<string, string> } = {}): Promise<Exchange> {
  return t.send({ ...jsonPost(body), headers, code });
}

/** A GET with this query string as written ('?w=…'), read as a request of `code`. */
function get(t: CheckContext, query: string, code = 'Epost_ping'): Promise<Exchange> {
  return t.send({ method: 'GET', query, code });
}

/** JSON text of a value, percent-encoded for a query string (T4). */
function queryValue(value: unknown): string {
  return encodeURIComponent(JSON.stringify(value));
}

/** The first place two texts differ, by code point, for a failure message. */
function firstDifference(sent: string, got: string): string {
  const a = [...sent];
  const b = [...got];
  const i = a.findIndex((char, index) => char !== b[index]);
  const at = i < 0 ? a.length : i;
  const show = (char: string | undefined) => (char === undefined ? 'the end' : `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return `${charCount(sent)} characters sent, ${charCount(got)} received; first difference at character ${at}: sent ${show(a[at])}, got ${show(b[at])}`;
}

// ---- T3: every request code by GET and by POST ------------------------------------

interface MethodProbe<Id extends string = string> {
  readonly id: Id;
  readonly code: RequestCode;
  readonly needs?: readonly Requirement[];
  /** The replies that show the Hive understood the request (anything but a refusal of its form). */
  readonly understood: readonly number[];
  /** Arranges what the request needs (by POST), then sends the request itself by `method`. */
  send(t: CheckContext, method: Method): Promise<Exchange>;
}

/** The psychocat of a domain no resolver knows. */
const UNREACHABLE_SYSTEM = systemAddress(UNREACHABLE_DOMAIN);
/** C3 gives step 2 ten seconds; the relay's answer may take that long, and a little more. */
const UNREACHABLE_RELAY_PROBE_MS = 12_000;

async function oneLoggedIn(t: CheckContext): Promise<SessionUser> {
  const [user] = await t.loggedIn(1);
  return user!;
}

/** A contact request of `code` from a logged-in user about a fresh one. */
function contactProbe<const Id extends string>(id: Id, code: 'Epost_contact_add' | 'Epost_contact_block' | 'Epost_contact_remove', arrangeAdd: boolean): MethodProbe<Id> {
  return {
    id,
    code,
    understood: [1],
    async send(t, method) {
      const owner = await oneLoggedIn(t);
      const contact = await t.user();
      if (arrangeAdd) t.expectResp(await t.call('Epost_contact_add', { iam: owner.address, contact: contact.address }, { session: owner.session }), 1, 'Q8', 'adding the contact to remove');
      return t.call(code, { iam: owner.address, contact: contact.address }, { method, session: owner.session });
    },
  };
}

const METHOD_PROBES = [
  { id: 'PAME-WIRE-001', code: 'Epost_ping', understood: [1], send: (t, method) => t.call('Epost_ping', { iam: pingParts(t).iam }, { method }) },
  {
    id: 'PAME-WIRE-002',
    code: 'Epost_user_register',
    needs: ['registration'],
    understood: [1],
    send: (t, method) => t.call('Epost_user_register', { iam: t.address(t.uniqueName('r')), pass: randomBytes(12).toString('base64url') }, { method }),
  },
  {
    id: 'PAME-WIRE-003',
    code: 'Epost_session_open',
    understood: [1],
    async send(t, method) {
      const user = await t.user();
      const exchange = await t.call('Epost_session_open', { iam: user.address, pass: user.pass }, { method });
      const session = sessionKeyOf(exchange);
      // Not opened through t.login, so closed here rather than when the check ends.
      if (session !== undefined) await t.call('Epost_session_close', { iam: user.address }, { session });
      return exchange;
    },
  },
  {
    id: 'PAME-WIRE-004',
    code: 'Epost_session_close',
    understood: [1],
    async send(t, method) {
      const user = await oneLoggedIn(t);
      return t.call('Epost_session_close', { iam: user.address }, { method, session: user.session });
    },
  },
  {
    id: 'PAME-WIRE-005',
    code: 'Epost_msg_send',
    understood: [1],
    async send(t, method) {
      const [sender, recipient] = [await oneLoggedIn(t), await t.user()];
      return t.call('Epost_msg_send', { iam: sender.address, to: [recipient.address], body: `by ${method}` }, { method, session: sender.session });
    },
  },
  {
    id: 'PAME-WIRE-006',
    code: 'Epost_conv_new',
    understood: [1],
    async send(t, method) {
      const [sender, recipient] = await t.loggedIn(2);
      await sendMessage(t, sender!, { to: [recipient!.address], body: `for ${method}` }, { rule: 'Q5' });
      return t.call('Epost_conv_new', { iam: recipient!.address }, { method, session: recipient!.session });
    },
  },
  {
    id: 'PAME-WIRE-007',
    code: 'Epost_conv_old',
    understood: [1],
    async send(t, method) {
      const sender = await oneLoggedIn(t);
      const { conv } = await sendMessage(t, sender, { to: [(await t.user()).address], body: `for ${method}` });
      return t.call('Epost_conv_old', { iam: sender.address, conv }, { method, session: sender.session });
    },
  },
  contactProbe('PAME-WIRE-008', 'Epost_contact_add', false),
  contactProbe('PAME-WIRE-009', 'Epost_contact_block', false),
  contactProbe('PAME-WIRE-010', 'Epost_contact_remove', true),
  {
    id: 'PAME-WIRE-011',
    code: 'Epost_contact_list',
    understood: [1],
    async send(t, method) {
      const user = await oneLoggedIn(t);
      return t.call('Epost_contact_list', { iam: user.address }, { method, session: user.session });
    },
  },
  {
    id: 'PAME-WIRE-012',
    code: 'Epost_msg_relay',
    // From a domain that cannot resolve (RFC 6761 .invalid), so step 2 fails at once and disturbs none of the
    // runner's peer Hives: -1 (no one to fetch from), or 0 where an operator maps the domain somewhere.
    understood: [0, -1],
    send: (t, method) => t.call('Epost_msg_relay', { iam: UNREACHABLE_SYSTEM, ticket: randomBytes(16).toString('hex') }, { method, timeoutMs: UNREACHABLE_RELAY_PROBE_MS }),
  },
  {
    id: 'PAME-WIRE-013',
    code: 'Epost_msg_fetch',
    understood: [0],
    send: (t, method) => t.call('Epost_msg_fetch', { iam: UNREACHABLE_SYSTEM, ticket: randomBytes(16).toString('hex') }, { method }),
  },
] as const satisfies readonly MethodProbe[];

function methodCheck<Id extends string>(probe: MethodProbe<Id>): Check<Id> {
  return {
    id: probe.id,
    title: `${probe.code} is served at the base URL by GET and by POST`,
    rules: ['T1', 'T3'],
    level: 'MUST',
    code: probe.code,
    ...(probe.needs ? { needs: probe.needs } : {}),
    async run(t) {
      for (const method of METHODS) t.expectResp(await probe.send(t, method), probe.understood, 'T3', `${probe.code} by ${method}`);
    },
  };
}

// ---- T4: request encoding ---------------------------------------------------------

/** Requests whose encoding T4 refuses, each with what is wrong with it. */
interface Malformed {
  readonly what: string;
  send(t: CheckContext): Promise<Exchange>;
}

async function expectAllRefused(t: CheckContext, cases: readonly Malformed[], rule: 'T4' | 'T5'): Promise<void> {
  for (const { what, send } of cases) t.expectResp(await send(t), -1.1, rule, what);
}

const NOT_JSON_TEXT: readonly Malformed[] = [
  { what: 'GET with w not JSON text (w=Epost_ping)', send: (t) => get(t, `?w=Epost_ping&iam=${queryValue(pingParts(t).iam)}`) },
  { what: 'GET with iam not JSON text (unquoted)', send: (t) => get(t, `?w=${queryValue('Epost_ping')}&iam=${encodeURIComponent(pingParts(t).iam)}`) },
  { what: "GET with iam in single quotes", send: (t) => get(t, `?w=${queryValue('Epost_ping')}&iam=${encodeURIComponent(`'${pingParts(t).iam}'`)}`) },
  { what: 'POST body with unquoted member names', send: (t) => post(t, `{w:"Epost_ping",iam:${JSON.stringify(pingParts(t).iam)}}`) },
  { what: 'POST body with a trailing comma', send: (t) => post(t, `${JSON.stringify(pingParts(t)).slice(0, -1)},}`) },
  { what: 'POST body in single quotes', send: (t) => post(t, `{'w':'Epost_ping','iam':'${pingParts(t).iam}'}`) },
];

const GIVEN_TWICE: readonly Malformed[] = [
  { what: 'GET with iam given twice (same value)', send: (t) => { const iam = queryValue(pingParts(t).iam); return get(t, `?w=${queryValue('Epost_ping')}&iam=${iam}&iam=${iam}`); } },
  { what: 'GET with w given twice', send: (t) => get(t, `?w=${queryValue('Epost_ping')}&iam=${queryValue(pingParts(t).iam)}&w=${queryValue('Epost_ping')}`) },
  { what: 'POST body with iam given twice', send: (t) => { const iam = JSON.stringify(pingParts(t).iam); return post(t, `{"w":"Epost_ping","iam":${iam},"iam":${iam}}`); } },
  { what: 'POST body with w given twice', send: (t) => post(t, `{"w":"Epost_ping","iam":${JSON.stringify(pingParts(t).iam)},"w":"Epost_ping"}`) },
  { what: 'POST body naming iam twice, once escaped ("\\u0069am")', send: (t) => { const iam = JSON.stringify(pingParts(t).iam); return post(t, `{"w":"Epost_ping","iam":${iam},"\\u0069am":${iam}}`); } },
];

/** A ping whose unlisted `note` part holds these bytes: only the encoding can make the Hive refuse it. */
function pingWithNoteBytes(t: CheckContext, note: number[]): Buffer {
  const [head, tail] = JSON.stringify({ ...pingParts(t), note: '\u0000' }).split('\\u0000') as [string, string];
  return Buffer.concat([Buffer.from(head), Buffer.from(note), Buffer.from(tail)]);
}

const NOT_UTF8: readonly (Malformed & { rule: 'T4' | 'T5' })[] = [
  { what: 'POST body with a Latin-1 byte (0xE9)', rule: 'T4', send: (t) => post(t, pingWithNoteBytes(t, [0x63, 0x61, 0x66, 0xe9])) },
  { what: 'POST body with an overlong encoding (0xC0 0xAF)', rule: 'T4', send: (t) => post(t, pingWithNoteBytes(t, [0xc0, 0xaf])) },
  { what: 'POST body with an encoded surrogate (0xED 0xA0 0x80)', rule: 'T4', send: (t) => post(t, pingWithNoteBytes(t, [0xed, 0xa0, 0x80])) },
  { what: 'POST body with a code point past U+10FFFF (0xF4 0x90 0x80 0x80)', rule: 'T4', send: (t) => post(t, pingWithNoteBytes(t, [0xf4, 0x90, 0x80, 0x80])) },
  { what: 'POST body with a truncated sequence (0xE2 0x82)', rule: 'T4', send: (t) => post(t, pingWithNoteBytes(t, [0xe2, 0x82])) },
  { what: 'GET part whose percent-encoded bytes are not UTF-8 (%E9)', rule: 'T5', send: (t) => get(t, `?w=${queryValue('Epost_ping')}&iam=${queryValue(pingParts(t).iam)}&note=%22caf%E9%22`) },
];

const NOT_AN_OBJECT: readonly Malformed[] = [
  { what: 'an array holding the request object', send: (t) => post(t, JSON.stringify([pingParts(t)])) },
  { what: 'an empty array', send: (t) => post(t, '[]') },
  { what: 'a string', send: (t) => post(t, '"Epost_ping"') },
  { what: 'a number', send: (t) => post(t, '42') },
  { what: 'null', send: (t) => post(t, 'null') },
  { what: 'true', send: (t) => post(t, 'true') },
  { what: 'an empty body', send: (t) => post(t, '') },
  { what: 'only white space', send: (t) => post(t, ' \r\n') },
];

const OTHER_CONTENT_TYPES: readonly (string | undefined)[] = ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/octet-stream', undefined];

// ---- T5: text round trip ------------------------------------------------------------

/**
 * Scalar values a Hive might mangle: controls, decomposed and compatibility
 * forms NFC or NFKC would change (e + U+0301, U+212B, U+FB01), invisible and
 * bidirectional marks, a byte order mark, noncharacters, astral characters,
 * emoji sequences, CR LF and a lone CR.
 */
const UNICODE_SUBJECT = 'Grüße e\u0301 \u212b \ufb01 中文 العربية 🎉 𝄞 👩‍👩‍👧 \u{10ffff}';
const UNICODE_BODY = [
  '\u0000\u0001\u0007\t\u000b\u000c\u001f\u007f\u0080\u009f\u00a0\u00ad',
  'e\u0301 \u212b \ufb01 \u1100\u1161 \u0958',
  '\u200b\u200c\u200d\u200e\u200f\u202e\u2028\u2029\u2060\ufeff',
  '\ufdd0\ufffd\ufffe\uffff \u{1fffe} \u{10ffff}',
  '😀 🏳️‍🌈 👩🏽‍💻 \u{1f1fa}\u{1f1f3} 𝄞 𐍈 \u{20000} \u{e0001}',
  'line\r\nbreaks\rand\nmore',
].join(' | ');

// ---- T6 / T7 / T8: what every reply looks like ----------------------------------------

const LOWER_CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

/** Member names anywhere in a reply that are not lowerCamelCase. */
function badMemberNames(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => badMemberNames(item, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([name, item]) => [...(LOWER_CAMEL_CASE.test(name) ? [] : [`${path}/${name}`]), ...badMemberNames(item, `${path}/${name}`)]);
}

/** Inputs nobody should send; a Hive may refuse them any way it likes but a 5xx. */
const GARBAGE: readonly { what: string; raw: (t: CheckContext) => RawRequest }[] = [
  { what: 'GET without a query', raw: () => ({ method: 'GET' }) },
  { what: 'GET with an empty query', raw: () => ({ method: 'GET', query: '?' }) },
  { what: 'GET with a broken percent-escape', raw: () => ({ method: 'GET', query: '?w=%ZZ&iam=%' }) },
  { what: 'GET with a part without a value', raw: (t) => ({ method: 'GET', query: `?w=${queryValue('Epost_ping')}&iam=${queryValue(pingParts(t).iam)}&w` }) },
  { what: 'GET with parts that are not JSON text', raw: () => ({ method: 'GET', query: '?w=Epost_ping&iam=nobody' }) },
  { what: 'GET of a paged code with a huge negative start', raw: (t) => ({ method: 'GET', query: `?w=${queryValue('Epost_conv_old')}&iam=${queryValue(pingParts(t).iam)}&start=-1e309` }) },
  { what: 'POST with an empty body', raw: () => jsonPost('') },
  { what: 'POST with an unfinished object', raw: () => jsonPost('{') },
  { what: 'POST nesting arrays 10000 deep', raw: (t) => jsonPost(`${JSON.stringify(pingParts(t)).slice(0, -1)},"deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`) },
  { what: 'POST with parts of the wrong types', raw: () => jsonPost('{"w":123,"iam":{"user":"x"},"session":[]}') },
  { what: 'POST with a number too large for a double', raw: (t) => jsonPost(`${JSON.stringify(pingParts(t)).slice(0, -1)},"n":1e999}`) },
  { what: 'POST of Epost_msg_send without a session and with to not an array', raw: (t) => jsonPost(JSON.stringify({ w: 'Epost_msg_send', iam: pingParts(t).iam, to: 'nobody', body: 1 })) },
  { what: 'POST with a NUL in iam', raw: () => jsonPost('{"w":"Epost_ping","iam":"a\\u0000b"}') },
];

/** Cookie names a Hive might read a session from (T8: it reads none). */
function sessionCookies(key: string): string {
  return ['session', 'sessionKey', 'session_key', 'sid', 'pame_session'].map((name) => `${name}=${key}`).join('; ');
}

// ---- T9: dates ---------------------------------------------------------------------

interface MessageSchema { $defs: { utcDate: { pattern: string } } }
/** RFC 3339 in UTC with Z, as the Message schema writes it (T9). */
const UTC_DATE = new RegExp(readSchemaFile<MessageSchema>('common/message.json').$defs.utcDate.pattern, 'u');

// ---- T11: limits --------------------------------------------------------------------

const MIN_BODY_BYTES = 256 * 1024;
const MIN_SUBJECT_CHARS = 200;
const MIN_URL_BYTES = 8 * 1024;
/** Past the 1 MiB most Hives (the reference among them) take, yet cheap to send. */
const OVER_LIMIT_BODY_BYTES = 2 * 1024 * 1024;

/** A request of `code` whose JSON body is exactly `bytes` long, the padding in the part `pad` names. */
function bodyOfSize(parts: Record<string, unknown>, pad: string, bytes: number): string {
  const empty = JSON.stringify({ ...parts, [pad]: '' });
  return JSON.stringify({ ...parts, [pad]: 'x'.repeat(bytes - Buffer.byteLength(empty)) });
}

/** A GET query whose full URL (the base URL included) is exactly `bytes` long, the padding in the part `pad` names. */
function queryOfSize(t: CheckContext, parts: Record<string, unknown>, pad: string, bytes: number): string {
  const url = new URL(t.env.client.baseUrl);
  url.search = encodeQuery({ ...parts, [pad]: '' });
  return encodeQuery({ ...parts, [pad]: 'x'.repeat(bytes - url.href.length) });
}

/** The parts of an Epost_msg_send, as the client would send them, for requests built by hand. */
function sendParts(sender: SessionUser, to: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { w: 'Epost_msg_send', iam: sender.address, session: sender.session, to: [to], ...extra };
}

// ---- the checks ---------------------------------------------------------------------

export const wireChecks = defineChecks([
  ...METHOD_PROBES.map(methodCheck),
  {
    id: 'PAME-WIRE-014',
    title: 'PUT, DELETE, PATCH and OPTIONS get -1.1',
    rules: ['T3'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        const parts = pingParts(t);
        const exchange = await t.send({ method, query: encodeQuery(parts), body: JSON.stringify(parts), headers: JSON_TYPE, code: 'Epost_ping' });
        t.expectResp(exchange, -1.1, 'T3', `an Epost_ping sent with ${method}`);
      }
    },
  },
  {
    id: 'PAME-WIRE-015',
    title: 'HEAD at the base URL never gets a 5xx',
    rules: ['T3', 'T7'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      const exchange = await t.send({ method: 'HEAD', query: encodeQuery(pingParts(t)), code: 'Epost_ping' });
      if (exchange.reply) t.check(exchange.reply.status < 500, 'T7', `HEAD got HTTP ${exchange.reply.status}: a Hive never answers 5xx`, exchange);
      else t.note(`HEAD got no reply (${exchange.failure?.message ?? 'unknown'}); T3 checks HEAD only for 5xx`);
    },
  },
  {
    id: 'PAME-WIRE-016',
    title: 'a part that is not JSON text gets -1.1',
    rules: ['T4'],
    level: 'MUST',
    code: 'Epost_ping',
    run: (t) => expectAllRefused(t, NOT_JSON_TEXT, 'T4'),
  },
  {
    id: 'PAME-WIRE-017',
    title: 'a part given twice gets -1.1, by GET and by POST',
    rules: ['T4'],
    level: 'MUST',
    code: 'Epost_ping',
    run: (t) => expectAllRefused(t, GIVEN_TWICE, 'T4'),
  },
  {
    id: 'PAME-WIRE-018',
    title: 'a request that is not valid UTF-8 gets -1.1',
    rules: ['T4', 'T5'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      for (const { what, rule, send } of NOT_UTF8) t.expectResp(await send(t), -1.1, rule, what);
    },
  },
  {
    id: 'PAME-WIRE-019',
    title: 'a POST body that is not a JSON object gets -1.1',
    rules: ['T4'],
    level: 'MUST',
    code: 'Epost_ping',
    run: (t) => expectAllRefused(t, NOT_AN_OBJECT.map(({ what, send }) => ({ what: `a POST body that is ${what}`, send })), 'T4'),
  },
  {
    id: 'PAME-WIRE-020',
    title: 'a POST body is read as JSON whatever its Content-Type says',
    rules: ['T4'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      for (const type of OTHER_CONTENT_TYPES) {
        const exchange = await post(t, JSON.stringify(pingParts(t)), { headers: type ? { 'content-type': type } : {} });
        t.expectResp(exchange, 1, 'T4', `an Epost_ping POSTed ${type ? `as ${type}` : 'without a Content-Type'}`);
      }
    },
  },
  {
    id: 'PAME-WIRE-021',
    title: 'subject and body come back unchanged, astral characters and all, by GET and by POST',
    rules: ['T5'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = (await t.loggedIn(2)) as [SessionUser, SessionUser];
      for (const method of METHODS) {
        // A plain message first, so a Hive that does not serve this method at all is told so (T3), not blamed for the text.
        await sendMessage(t, sender, { to: [recipient.address], body: 'plain' }, { method, rule: 'T3', doing: `sending plain text by ${method}` });
        const sent = await sendMessage(t, sender, { to: [recipient.address], subject: UNICODE_SUBJECT, body: UNICODE_BODY }, { method, rule: 'T5', doing: `sending Unicode text by ${method}` });
        const got = await readMessage(t, recipient, sent, 'T5');
        const exchange = got.exchange;
        t.check(got.subject === UNICODE_SUBJECT, 'T5', `the subject sent by ${method} came back changed: ${firstDifference(UNICODE_SUBJECT, got.subject)}`, exchange);
        t.check(got.body === UNICODE_BODY, 'T5', `the body sent by ${method} came back changed: ${firstDifference(UNICODE_BODY, got.body)}`, exchange);
      }
    },
  },
  {
    id: 'PAME-WIRE-022',
    title: 'a lone surrogate in a subject or body gets -1.1 and nothing is delivered',
    rules: ['T5'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = (await t.loggedIn(2)) as [SessionUser, SessionUser];
      const cases = [
        { method: 'POST', what: 'a subject of a lone high surrogate', text: { subject: '\ud800', body: 'hi' } },
        { method: 'POST', what: 'a body holding a lone low surrogate', text: { body: 'a\udfffb' } },
        { method: 'GET', what: 'a subject of a lone high surrogate, by GET', text: { subject: 'x\udbff', body: 'hi' } },
      ] as const;
      for (const { method, what, text } of cases) {
        const exchange = await t.call('Epost_msg_send', { iam: sender.address, to: [recipient.address], ...text }, { method, session: sender.session });
        t.expectResp(exchange, -1.1, 'T5', what);
      }
      const inbox = await t.call('Epost_conv_new', { iam: recipient.address }, { session: recipient.session });
      t.expectResp(inbox, 0, 'T5', 'the recipient looking for messages that should not have been delivered');
    },
  },
  {
    id: 'PAME-WIRE-023',
    title: 'every reply is a JSON object served as application/json with a numeric resp and lowerCamelCase members',
    rules: ['T6'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const user = (await t.loggedIn(1))[0]!;
      // Each with the resp it must carry and the rule a different resp would break; the form of the reply is T6's.
      const replies: [Exchange, number, RuleId, string][] = [
        [await t.call('Epost_ping', { iam: user.address }), 1, 'Q1', 'Epost_ping by POST'],
        [await t.call('Epost_ping', { iam: user.address }, { method: 'GET' }), 1, 'T3', 'Epost_ping by GET'],
        [await t.call('Epost_contact_list', { iam: user.address }, { session: user.session }), 1, 'Q9', 'Epost_contact_list'],
        [await t.call('Epost_contact_list', { iam: user.address }), -1.303, 'U2', 'Epost_contact_list without a session'],
        [await t.call('Epost_session_open', { iam: user.address, pass: `${user.pass}-wrong` }), -1.301, 'Q3', 'a log-in with a wrong password'],
        [await t.call('Epost_no_such_code', { iam: user.address }), -1.1, 'E2', 'an unknown request code'],
        [await post(t, '{'), -1.1, 'T4', 'a body that is not JSON'],
      ];
      for (const [exchange, resp, rule, what] of replies) {
        const reply = t.expectResp(exchange, resp, rule, what);
        t.check(typeof reply.resp === 'number', 'T6', `resp is ${typeof reply.resp}, not a JSON number (${what})`, exchange);
        const bad = badMemberNames(reply);
        t.check(bad.length === 0, 'T6', `members not in lowerCamelCase: ${bad.join(', ')} (${what})`, exchange);
      }
    },
  },
  {
    id: 'PAME-WIRE-024',
    title: 'malformed input never gets a 5xx, and status codes match resp',
    rules: ['T7'],
    level: 'MUST',
    code: '*',
    async run(t) {
      for (const { what, raw } of GARBAGE) t.expectResp(await t.send(raw(t)), ANY_REPLY_CODE, 'T7', what);
    },
  },
  {
    id: 'PAME-WIRE-025',
    title: 'no reply sets a cookie',
    rules: ['T8'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const [sender, recipient] = (await t.loggedIn(2)) as [SessionUser, SessionUser];
      // A log-in by GET too, where a cookie would be set just the same; its resp is not this check's business.
      const opened = await t.call('Epost_session_open', { iam: sender.address, pass: sender.pass }, { method: 'GET' });
      const extra = sessionKeyOf(opened);
      if (extra !== undefined) await t.call('Epost_session_close', { iam: sender.address }, { session: extra });
      await t.call('Epost_msg_send', { iam: sender.address, to: [recipient.address], body: 'cookie-free' }, { session: sender.session });
      await t.call('Epost_conv_new', { iam: recipient.address }, { session: recipient.session });
      await t.call('Epost_contact_list', { iam: sender.address });
      await t.call('Epost_no_such_code', { iam: sender.address });
      await t.call('Epost_session_close', { iam: recipient.address }, { session: recipient.session });
      for (const exchange of t.exchanges) {
        const cookie = headerValue(exchange.reply, 'set-cookie');
        t.check(cookie === undefined, 'T8', `the reply to ${exchange.code ?? 'a request'} sets a cookie: ${cookie}`, exchange);
      }
    },
  },
  {
    id: 'PAME-WIRE-026',
    title: 'a cookie never stands in for the session key',
    rules: ['T8'],
    level: 'MUST',
    code: 'Epost_contact_list',
    async run(t) {
      const user = (await t.loggedIn(1))[0]!;
      const headers = { cookie: sessionCookies(user.session) };
      for (const method of METHODS) {
        for (const session of [undefined, `${user.session}x`]) {
          const what = `Epost_contact_list by ${method} with the session key in cookies and ${session ? 'a wrong' : 'no'} session part`;
          const exchange = await t.call('Epost_contact_list', { iam: user.address }, { method, headers, ...(session ? { session } : {}) });
          // Which refusal it gets is U2's business; here only that the cookie did not open the directory.
          t.expectResp(exchange, ANY_REPLY_CODE, 'T8', what);
          t.check(respOf(exchange) !== 1, 'T8', `${what} was served: the cookie stood in for the session key`, exchange);
        }
      }
    },
  },
  {
    id: 'PAME-WIRE-027',
    title: 'message dates are UTC, written RFC 3339 with Z',
    rules: ['T9'],
    level: 'MUST',
    code: 'Epost_conv_new',
    async run(t) {
      const [sender, recipient] = (await t.loggedIn(2)) as [SessionUser, SessionUser];
      const { conv } = await sendMessage(t, sender, { to: [recipient.address], body: 'what time is it?' });
      const fresh = await t.call('Epost_conv_new', { iam: recipient.address, conv }, { session: recipient.session });
      // A wrong resp is Q6's or Q7's business; the reply schemas already name T9 for a bad date.
      const fromNew = (t.expectResp(fresh, 1, 'Q6', 'reading the new message').msgs ?? []) as { date?: unknown }[];
      const fromOld = await readPage(t, sender, conv);
      for (const [messages, exchange] of [[fromNew, fresh], [fromOld, fromOld.exchange]] as const) {
        for (const { date } of messages) {
          t.check(typeof date === 'string' && UTC_DATE.test(date) && !Number.isNaN(Date.parse(date)), 'T9', `date ${JSON.stringify(date)} is not RFC 3339 UTC ending in Z`, exchange);
        }
      }
    },
  },
  {
    id: 'PAME-WIRE-028',
    title: 'over https, the Hive offers TLS 1.2 or later with a certificate valid for its host',
    rules: ['T10'],
    level: 'SHOULD',
    code: '*',
    needs: ['https'],
    async run(t) {
      const { target, timeoutMs } = t.settings;
      const host = new URL(target).hostname;
      const facts = await probeTls(target, { timeoutMs });
      t.check(facts.error === undefined, 'T10', `no handshake offering TLS 1.2 or later with ${host}: ${facts.error}`);
      t.check(facts.protocol === 'TLSv1.2' || facts.protocol === 'TLSv1.3', 'T10', `the handshake with ${host} negotiated ${facts.protocol ?? 'no protocol'}, not TLS 1.2 or later`);
      t.check(facts.authorized, 'T10', `the certificate ${host} presents is not valid for it: ${facts.authorizationError ?? 'not trusted'}`);
      t.note(`TLS with ${host}: ${facts.protocol}, certificate valid`);
    },
  },
  {
    id: 'PAME-WIRE-029',
    title: 'a 256 KiB request body and 200-character subjects (astral ones too) are accepted and kept whole',
    rules: ['T11'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = (await t.loggedIn(2)) as [SessionUser, SessionUser];
      const large = bodyOfSize(sendParts(sender, recipient.address), 'body', MIN_BODY_BYTES);
      const taken = t.expectResp(await post(t, large, { code: 'Epost_msg_send' }), 1, 'T11', `an Epost_msg_send body of exactly ${MIN_BODY_BYTES} bytes`);
      const kept = await readMessage(t, recipient, { resp: 1, conv: String(taken.conv), msg: String(taken.msg) }, 'T11');
      const sentBody = (JSON.parse(large) as { body: string }).body;
      // Lengths only: whether each character survives is T5's business (PAME-WIRE-021).
      t.check(kept.body.length === sentBody.length, 'T11', `the ${sentBody.length}-character body came back as ${kept.body.length} characters`, kept.exchange);
      for (const subject of ['s'.repeat(MIN_SUBJECT_CHARS), '𝄞'.repeat(MIN_SUBJECT_CHARS)]) {
        const what = `a subject of ${MIN_SUBJECT_CHARS} characters (${subject.length} UTF-16 units)`;
        const sent = await sendMessage(t, sender, { to: [recipient.address], subject, body: 'long subject' }, { rule: 'T11', doing: what });
        const got = await readMessage(t, recipient, sent, 'T11');
        t.check(charCount(got.subject) === MIN_SUBJECT_CHARS, 'T11', `${what} came back as ${charCount(got.subject)} characters`, got.exchange);
      }
    },
  },
  {
    id: 'PAME-WIRE-030',
    title: "requests beyond the Hive's limits get -1.1, never a 5xx",
    rules: ['T11', 'T7'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = (await t.loggedIn(2)) as [SessionUser, SessionUser];
      const huge = bodyOfSize(sendParts(sender, recipient.address), 'body', OVER_LIMIT_BODY_BYTES);
      t.expectResp(await post(t, huge, { code: 'Epost_msg_send' }), [-1.1, 1], 'T11', `an Epost_msg_send body of ${OVER_LIMIT_BODY_BYTES} bytes`);
      const long = await t.call('Epost_msg_send', { iam: sender.address, to: [recipient.address], subject: 's'.repeat(20 * MIN_SUBJECT_CHARS), body: 'x' }, { session: sender.session });
      t.expectResp(long, [-1.1, 1], 'T11', `a subject of ${20 * MIN_SUBJECT_CHARS} characters`);
    },
  },
  {
    id: 'PAME-WIRE-031',
    title: 'a GET URL of 8 KiB is accepted; a longer one is refused without a 5xx',
    rules: ['T11', 'T7'],
    level: 'MUST',
    code: 'Epost_msg_send',
    async run(t) {
      const [sender, recipient] = (await t.loggedIn(2)) as [SessionUser, SessionUser];
      const short = await get(t, encodeQuery(sendParts(sender, recipient.address, { body: 'short' })), 'Epost_msg_send');
      t.expectResp(short, 1, 'T3', 'a short Epost_msg_send by GET');
      const accepted = await get(t, queryOfSize(t, sendParts(sender, recipient.address), 'body', MIN_URL_BYTES), 'Epost_msg_send');
      t.expectResp(accepted, 1, 'T11', `an Epost_msg_send by GET with a URL of exactly ${MIN_URL_BYTES} bytes`);
      const beyond = await get(t, queryOfSize(t, sendParts(sender, recipient.address), 'body', 1.5 * MIN_URL_BYTES), 'Epost_msg_send');
      const what = `an Epost_msg_send by GET with a URL of ${1.5 * MIN_URL_BYTES} bytes`;
      if (beyond.failure) t.check(beyond.failure.kind === 'network', 'T11', `${what}: ${beyond.failure.message}; the Hive may refuse it or close the connection, not leave it hanging`, beyond);
      else if (beyond.reply?.status !== 414 && beyond.reply?.status !== 431) t.expectResp(beyond, [1, -1.1], 'T11', what);
      t.note(`a ${1.5 * MIN_URL_BYTES}-byte URL got ${beyond.failure ? beyond.failure.message : `HTTP ${beyond.reply?.status} resp ${String(respOf(beyond))}`}`);
    },
  },
]);
