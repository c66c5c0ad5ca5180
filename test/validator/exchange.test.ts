// validateExchange on single exchanges: which party (client or Hive) broke which rule, and the
// replies a Hive must give to requests that break one.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/client/exchange.js';
import { encodeQuery } from '../../src/client/client.js';
import { decodeRequestParts, validateExchange } from '../../src/validator/exchange.js';
import { recordedExchange } from '../../src/validator/recorded.js';
import { EXCERPT_CHARS } from '../../src/protocol/excerpt.js';

const BASE = 'http://127.0.0.1:8080/';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function exchange(request: { method?: string; query?: string; body?: string | Buffer; headers?: Record<string, string> }, reply?: { status?: number; body: unknown; headers?: Record<string, string | string[]> }): Exchange {
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
  return recordedExchange({
    method: request.method ?? (body ? 'POST' : 'GET'),
    url: BASE + (request.query ?? ''),
    headers: request.headers ?? (body ? { 'content-type': 'application/json' } : {}),
    ...(body ? { body } : {}),
    ...(reply ? { reply: { status: reply.status ?? 200, headers: reply.headers ?? JSON_HEADERS, body: Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)) } } : {}),
    startedAt: '2026-11-25T08:30:00Z',
    durationMs: 1,
  });
}
const post = (parts: object, reply?: Parameters<typeof exchange>[1]) => exchange({ body: JSON.stringify(parts) }, reply);
const found = (e: Exchange) => validateExchange(e).map((f) => `${f.rule} ${f.level} ${f.party} ${f.aspect}`).sort();

describe('decodeRequestParts (T4)', () => {
  it('reads GET parts as JSON text and POST bodies as one JSON object', () => {
    expect(decodeRequestParts({ method: 'GET', url: BASE + encodeQuery({ w: 'Epost_ping', iam: 'ana', to: ['a', 'b'] }), headers: {} })).toEqual({ kind: 'parts', parts: { w: 'Epost_ping', iam: 'ana', to: ['a', 'b'] } });
    expect(decodeRequestParts({ method: 'POST', url: BASE, headers: {}, body: '{"w":"Epost_ping","iam":"ana"}' })).toEqual({ kind: 'parts', parts: { w: 'Epost_ping', iam: 'ana' } });
  });

  it.each([
    ['GET', '?w=Epost_ping&iam=%22ana%22', undefined, /'w' is not JSON text/],
    ['GET', '?w=%22Epost_ping%22&w=%22Epost_ping%22', undefined, /given twice/],
    ['GET', '?w=%E0%A4%A', undefined, /no value that decodes/],
    ['POST', '', '{"w":"Epost_ping","w":"Epost_ping"}', /not JSON text/],
    ['POST', '', '["Epost_ping"]', /not a JSON object/],
    ['POST', '', '', /empty/],
  ])('%s %s %s is undecodable', (method, query, body, message) => {
    const decoded = decodeRequestParts({ method, url: BASE + query, headers: {}, ...(body !== undefined ? { body } : {}) });
    expect(decoded.kind).toBe('undecodable');
    expect((decoded as { message: string }).message).toMatch(message);
  });

  it('finds a POST body that is not UTF-8', () => {
    const e = exchange({ body: Buffer.from([0x7b, 0xff, 0x7d]) });
    expect(e.request.bodyBase64).toBeDefined();
    expect(decodeRequestParts(e.request)).toEqual({ kind: 'undecodable', message: 'the POST body is not valid UTF-8' });
  });
});

describe('validateExchange', () => {
  it('quotes a member a refusal carries as an excerpt, however long its name (the Hive is an adversary)', () => {
    const name = 'x'.repeat(1024 * 1024);
    const findings = validateExchange(exchange({ method: 'PUT', body: '{}' }, { body: { resp: -1.1, [name]: 1 } }));
    expect(findings.map((f) => f.rule)).toEqual(['F3']);
    expect(findings[0]!.message).toBe(`the refusal carries '${'x'.repeat(EXCERPT_CHARS)}… (1048576 characters)' beside resp`);
  });

  it('finds nothing in conformant exchanges, refusals included', () => {
    expect(found(post({ w: 'Epost_ping', iam: 'ana' }, { body: { resp: 1, hive: 'h.example', version: '0.2.1' } }))).toEqual([]);
    expect(found(post({ w: 'Epost_session_open', iam: 'ana', pass: 'x' }, { status: 401, body: { resp: -1.301 } }))).toEqual([]);
    expect(found(exchange({ method: 'PUT', body: '{}' }, { body: { resp: -1.1 } }))).toEqual([]);
    expect(found(exchange({ method: 'BREW' }, { status: 501, body: 'not implemented', headers: { 'content-type': 'text/plain' } }))).toEqual([]);
    expect(found(exchange({ method: 'HEAD', query: encodeQuery({ w: 'Epost_ping', iam: 'ana' }) }, { body: '' }))).toEqual([]);
  });

  it('blames the client for a bad request, and the Hive only when it accepts it', () => {
    const refused = exchange({ query: '?w=Epost_ping&iam=%22ana%22' }, { body: { resp: -1.1 } });
    expect(found(refused)).toEqual(['T4 MUST client encoding']);
    const accepted = exchange({ query: '?w=Epost_ping&iam=%22ana%22' }, { body: { resp: 1, hive: 'h.example', version: '0.2.1' } });
    expect(found(accepted)).toEqual(['T4 MUST client encoding', 'T4 MUST hive encoding']);
    // -1.1 is the only refusal T4 allows.
    expect(found(exchange({ query: '?w=Epost_ping&iam=%22ana%22' }, { body: { resp: -1 } }))).toEqual(['T4 MUST client encoding', 'T4 MUST hive encoding']);
  });

  it('warns about a POST without the JSON content type, which a Hive reads anyway', () => {
    expect(found(exchange({ body: '{"w":"Epost_ping","iam":"ana"}', headers: { 'content-type': 'text/plain' } }, { body: { resp: 1, hive: 'h.example', version: '0.2.1' } }))).toEqual(['T4 SHOULD client encoding']);
  });

  it('names an unlisted code E2 when refused with another error, F2 when answered', () => {
    expect(found(post({ w: 'Epost_user_info', iam: 'ana' }, { body: { resp: -1.1 } }))).toEqual(['E2 MUST client envelope']);
    expect(found(post({ w: 'Epost_user_info', iam: 'ana' }, { body: { resp: -1 } }))).toEqual(['E2 MUST client envelope', 'E2 MUST hive envelope']);
    expect(found(post({ w: 'Epost_user_info', iam: 'ana' }, { body: { resp: 1, ip: '10.0.0.1' } }))).toEqual(['E2 MUST client envelope', 'F1 F hive privacy', 'F2 F hive privacy', 'F2 F hive privacy']);
  });

  it('names a session code without a key that the Hive serves anyway, and a cookie standing in for it', () => {
    expect(found(post({ w: 'Epost_contact_list', iam: 'ana' }, { body: { resp: -1.303 } }))).toEqual(['U1 MUST client request']);
    const withCookie = exchange({ body: '{"w":"Epost_contact_list","iam":"ana"}', headers: { 'content-type': 'application/json', cookie: 'session=abc' } }, { body: { resp: 1, contacts: [] } });
    expect(found(withCookie)).toEqual(['T8 MUST hive cookies', 'U1 MUST client request', 'U1 MUST hive request']);
  });

  it('reads the reply: status, content type, JSON, reply code, schema, dates, cookies', () => {
    const ping = { w: 'Epost_ping', iam: 'ana' };
    expect(found(post(ping, { status: 302, body: { resp: -1.1 } }))).toEqual(['T7 MUST hive reply']);
    expect(found(post(ping, { status: 201, body: { resp: 1, hive: 'h.example', version: '0.2.1' } }))).toEqual(['T7 MUST hive reply']);
    expect(found(post(ping, { body: { resp: 1, hive: 'h.example', version: '0.2.1' }, headers: { 'content-type': 'text/json' } }))).toEqual(['T6 MUST hive reply']);
    expect(found(post(ping, { body: { ok: true } }))).toEqual(['T6 MUST hive reply']);
    expect(found(post(ping, { body: { resp: '1' } }))).toEqual(['T6 MUST hive reply']);
    expect(found(post(ping, { body: { resp: 1, hive: 'h.example', version: '0.2.1' }, headers: { ...JSON_HEADERS, 'set-cookie': ['a=1', 'b=2'] } }))).toEqual(['T8 MUST hive cookies']);
    const message = { msg: 'm', conv: 'c', from: 'ana::a.example', to: ['bob::a.example'], date: '2026-11-25 08:30:00', ip: '10.0.0.1', subject: '', format: 'plain', body: 'x' };
    expect(found(post({ w: 'Epost_conv_new', iam: 'bob', session: 'k' }, { body: { resp: 1, msgs: [message] } }))).toEqual(['T9 MUST hive dates']);
  });

  it('validates nothing more of an exchange that got no reply', () => {
    const { reply: _, ...noReply } = post({ w: 'Epost_ping', iam: 'ana' }, { body: {} });
    expect(validateExchange({ ...noReply, failure: { kind: 'timeout', message: 'no reply within 10000 ms' } })).toEqual([]);
  });
});
