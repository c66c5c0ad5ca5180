// T4 (profile §1): how a request is encoded. Parts are JSON text, each given
// once; a POST body is one JSON object in UTF-8, whatever its Content-Type says.
import { defineChecks } from '../../src/checks/check.js';
import type { CheckContext } from '../../src/checks/context.js';
import type { Exchange } from '../../src/client/exchange.js';
import { get, pingParts, post, queryValue } from './requests.js';

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

export const encodingChecks = defineChecks([
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
]);
