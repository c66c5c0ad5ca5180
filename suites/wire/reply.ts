// T6, T7 and T8 (profile §1): what every reply looks like. A JSON object served
// as application/json with a numeric resp and lowerCamelCase members; never a
// 5xx, whatever comes in; no cookie set, none read.
import { defineChecks } from '../../src/checks/check.js';
import type { CheckContext } from '../../src/checks/context.js';
import type { RawRequest } from '../../src/client/client.js';
import { headerValue, respOf, sessionKeyOf, type Exchange } from '../../src/client/exchange.js';
import type { RuleId } from '../../src/protocol/rules.js';
import { ANY_REPLY_CODE } from '../../src/protocol/reply-codes.js';
import { METHODS } from '../../src/checks/conversation-steps.js';
import { jsonPost, pingParts, post, queryValue } from './requests.js';

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

export const replyChecks = defineChecks([
  {
    id: 'PAME-WIRE-023',
    title: 'every reply is a JSON object served as application/json with a numeric resp and lowerCamelCase members',
    rules: ['T6'],
    level: 'MUST',
    code: '*',
    async run(t) {
      const [user] = await t.loggedIn(1);
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
      const [sender, recipient] = await t.loggedIn(2);
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
      const [user] = await t.loggedIn(1);
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
]);
