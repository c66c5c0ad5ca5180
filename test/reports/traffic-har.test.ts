// The HAR of --record har redacts through the one Secrets registry (src/client/secrets.ts): no password,
// session key or ticket reaches it in any form the traffic carried, and each keeps its length, so
// `pame validate` reads the HAR back as the traffic was.
import { describe, expect, it } from 'vitest';
import { encodeQuery } from '../../src/client/client.js';
import type { RecordedTraffic } from '../../src/client/recorder.js';
import { trafficHar } from '../../src/reports/traffic-har.js';

const pass = 'Tr0ub4dor&3"x';
const key = 'k3y-of-the-session-0123456789';
const ticket = 'tick-et-0123456789abcdef';
const shortPass = 'abc12';
const BASE = 'http://127.0.0.1:1/';

const replyOf = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({ status: 200, headers, bodyBase64: Buffer.from(body).toString('base64') });

/** A run's traffic in the order it happened: the session key is issued after a request already carried it. */
const RECORDS: RecordedTraffic[] = [
  { route: 'runner→hive', exchange: { request: { method: 'GET', url: BASE + encodeQuery({ w: 'Epost_contact_list', iam: 'ana', session: key }), headers: { cookie: `session=${key}` } }, reply: replyOf('{"resp":-1.303}'), startedAt: '2026-11-25T08:30:00.000Z', durationMs: 1 } },
  { route: 'runner→hive', exchange: { request: { method: 'POST', url: BASE, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ w: 'Epost_session_open', iam: 'ana', pass }) }, reply: replyOf(JSON.stringify({ resp: 1, session: key }), { 'content-type': 'application/json', 'set-cookie': `k=${key}` }), startedAt: '2026-11-25T08:30:01.000Z', durationMs: 1 } },
  { route: 'runner→hive', exchange: { request: { method: 'POST', url: BASE, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ w: 'Epost_user_register', iam: 'bob', pass: shortPass }) }, reply: replyOf('{"resp":-1.1}'), startedAt: '2026-11-25T08:30:02.000Z', durationMs: 1 } },
  // Not UTF-8: the body is carried as base64, and the password in it is found as its bytes.
  { route: 'runner→hive', exchange: { request: { method: 'POST', url: BASE, headers: { 'content-type': 'application/json' }, bodyBase64: Buffer.concat([Buffer.from(JSON.stringify({ w: 'Epost_session_open', iam: 'ana', pass }).slice(0, -1)), Buffer.from(',"x":"\xff"}', 'latin1')]).toString('base64') }, reply: replyOf('{"resp":-1.1}'), startedAt: '2026-11-25T08:30:03.000Z', durationMs: 1 } },
  { route: 'hive→peer', exchange: { request: { method: 'POST', url: 'http://127.0.0.1:2/alpha/', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ w: 'Epost_msg_relay', iam: 'psychocat', ticket }) }, reply: replyOf('{"resp":1}'), startedAt: '2026-11-25T08:30:04.000Z', durationMs: 1 } },
  { route: 'peer→hive', exchange: { request: { method: 'GET', url: BASE + encodeQuery({ w: 'Epost_msg_fetch', iam: 'psychocat', ticket }), headers: {} }, failure: { kind: 'timeout', message: `no reply to the fetch of ticket ${ticket}` }, startedAt: '2026-11-25T08:30:05.000Z', durationMs: 1 } },
];

interface Har { log: { entries: { request: { url: string; postData?: { text: string; encoding?: string }; queryString: { name: string; value: string }[] } }[] } }

describe('trafficHar', () => {
  const har = trafficHar(RECORDS) as Har;
  const text = JSON.stringify(har);

  it('shows no password, session key or ticket in any form the traffic carried', () => {
    const forms = [pass, key, ticket, JSON.stringify(pass), encodeURIComponent(JSON.stringify(key)), encodeURIComponent(JSON.stringify(ticket)), JSON.stringify(shortPass)];
    for (const form of forms) expect(text).not.toContain(form);
    const base64Body = har.log.entries[3]!.request.postData!;
    expect(base64Body.encoding).toBe('base64');
    expect(Buffer.from(base64Body.text, 'base64').toString('latin1')).not.toContain(pass);
  });

  it('shows each secret as "redacted…" of its own length, also in a request sent before the reply that issued it', () => {
    const session = har.log.entries[0]!.request.queryString.find((part) => part.name === 'session')!.value;
    expect(JSON.parse(session)).toBe('redacted'.repeat(4).slice(0, key.length));
    const login = JSON.parse(har.log.entries[1]!.request.postData!.text) as { pass: string };
    expect(login.pass).toBe('redacted'.repeat(2).slice(0, pass.length));
    const register = JSON.parse(har.log.entries[2]!.request.postData!.text) as { pass: string };
    expect(register.pass).toBe('redac');
  });
});
