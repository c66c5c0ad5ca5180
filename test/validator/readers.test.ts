// The readers of recordings: HAR as browsers and proxies write it, and the JSONL exchange log.
import { Secrets } from '../../src/client/secrets.js';
import { describe, expect, it } from 'vitest';
import { toEvidence } from '../../src/validator/evidence.js';
import { readHar } from '../../src/validator/har.js';
import { formatExchangeLogLine, readExchangeLog } from '../../src/validator/jsonl.js';
import { recordedExchange } from '../../src/validator/recorded.js';

const ping = { resp: 1, hive: 'h.example', version: '0.2.1' };
function entry(url: string, options: { method?: string; body?: string; status?: number; reply?: { text?: string; encoding?: string; size?: number }; headers?: { name: string; value: string }[] } = {}) {
  const text = JSON.stringify(ping);
  return {
    startedDateTime: '2026-11-25T08:30:00.000Z',
    time: 4,
    request: { method: options.method ?? 'GET', url, headers: [{ name: ':authority', value: 'h' }, { name: 'Content-Type', value: 'application/json' }], ...(options.body ? { postData: { mimeType: 'application/json', text: options.body } } : {}) },
    response: { status: options.status ?? 200, headers: options.headers ?? [{ name: 'Content-Type', value: 'application/json' }], content: options.reply ?? { size: text.length, text } },
  };
}
const har = (...entries: unknown[]) => JSON.stringify({ log: { version: '1.2', entries } });
const PING_GET = 'http://h.example/epost/?w=%22Epost_ping%22&iam=%22ana%22';

describe('readHar', () => {
  it('reads entries as exchanges, headers lower-case without HTTP/2 pseudo-headers', () => {
    const { exchanges, problems, skipped } = readHar(har(entry(PING_GET), entry('http://h.example/epost/', { method: 'POST', body: '{"w":"Epost_ping","iam":"ana"}' })), 'x.har');
    expect([problems, skipped]).toEqual([[], 0]);
    expect(exchanges.map((e) => [e.source, e.exchange.code, e.exchange.request.method])).toEqual([['x.har entry 1', 'Epost_ping', 'GET'], ['x.har entry 2', 'Epost_ping', 'POST']]);
    expect(exchanges[0]!.exchange.request.headers).toEqual({ 'content-type': 'application/json' });
    expect(exchanges[1]!.exchange.reply?.json).toEqual(ping);
  });

  it('keeps only protocol traffic: entries to a URL some request sends a code to, or to --base-url', () => {
    const entries = [entry(PING_GET), entry('http://h.example/epost/?iam=%22ana%22'), entry('http://h.example/app.js'), entry('http://other.example/?w=%22Epost_ping%22&iam=%22a%22')];
    const inferred = readHar(har(...entries), 'x.har');
    expect(inferred.exchanges.map((e) => e.source)).toEqual(['x.har entry 1', 'x.har entry 2', 'x.har entry 4']);
    expect(inferred.skipped).toBe(1);
    const chosen = readHar(har(...entries), 'x.har', { baseUrl: 'http://h.example/epost/' });
    expect(chosen.exchanges.map((e) => e.source)).toEqual(['x.har entry 1', 'x.har entry 2']);
    expect(chosen.skipped).toBe(2);
  });

  it('decodes base64 content, and says so when a reply body was not recorded or there was no reply', () => {
    const base64 = entry(PING_GET, { reply: { text: Buffer.from(JSON.stringify(ping)).toString('base64'), encoding: 'base64', size: 40 } });
    const unrecorded = entry(PING_GET, { reply: { size: 40 } });
    const failed = entry(PING_GET, { status: 0, headers: [], reply: { size: 0 } });
    const { exchanges, problems } = readHar(har(base64, unrecorded, failed), 'x.har');
    expect(exchanges[0]!.exchange.reply?.json).toEqual(ping);
    expect(exchanges[1]!.exchange.reply).toBeUndefined();
    expect(problems).toEqual(['x.har entry 2: the HAR holds no reply body; only the request is validated']);
    expect(exchanges[2]!.exchange.failure?.kind).toBe('network');
  });

  it('reports what is not HAR rather than guessing', () => {
    expect(readHar('{', 'x.har').problems[0]).toMatch(/^x\.har: not JSON/);
    expect(readHar('{"entries":[]}', 'x.har').problems).toEqual(['x.har: not a HAR file (no log.entries)']);
    expect(readHar(har({ request: { method: 'GET' } }), 'x.har').problems).toEqual(['x.har entry 1: no request method and url']);
  });
});

describe('the JSONL exchange log', () => {
  const exchange = recordedExchange({
    method: 'POST', url: 'http://h.example/', headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{"w":"Epost_ping","iam":"ana"}'),
    reply: { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }, body: Buffer.from(JSON.stringify(ping)) },
    sourceAddress: '127.0.0.1', startedAt: '2026-11-25T08:30:00.000Z', durationMs: 1.5,
  });

  it('round-trips: a line written by the proxy reads back as the same exchange', () => {
    const { exchanges, problems } = readExchangeLog(formatExchangeLogLine(exchange) + '\n' + formatExchangeLogLine(exchange), 'log.jsonl');
    expect(problems).toEqual([]);
    expect(exchanges.map((e) => e.source)).toEqual(['log.jsonl:1', 'log.jsonl:3']);
    expect(exchanges[0]!.exchange).toEqual(exchange);
  });

  it('keeps reply bodies that are not UTF-8 as bytes', () => {
    const binary = recordedExchange({ method: 'GET', url: 'http://h.example/', headers: {}, reply: { status: 200, headers: {}, body: Buffer.from([0xff, 0x00]) }, startedAt: '', durationMs: 0 });
    const line = JSON.parse(formatExchangeLogLine(binary)) as { reply: { bodyBase64: string } };
    expect(line.reply.bodyBase64).toBe('/wA=');
    expect(readExchangeLog(JSON.stringify({ ...line, startedAt: '2026-11-25T08:30:00Z' }), 'b.jsonl').exchanges[0]!.exchange.reply?.bytes).toEqual(Buffer.from([0xff, 0x00]));
  });

  it("reads a run's exchanges.jsonl evidence lines, leaving a cut reply out", () => {
    const whole = JSON.stringify({ check: 'PAME-PING-001', role: 'last', evidence: toEvidence(exchange, new Secrets()) });
    const long = recordedExchange({ method: 'GET', url: 'http://h.example/', headers: {}, reply: { status: 200, headers: {}, body: Buffer.from(JSON.stringify({ resp: 1, pad: 'x'.repeat(5000) })) }, startedAt: '', durationMs: 0 });
    const cut = JSON.stringify({ check: 'PAME-PING-001', role: 'failure', rule: 'F3', evidence: toEvidence(long, new Secrets()) });
    const { exchanges, problems } = readExchangeLog(`${whole}\n${cut}\n`, 'exchanges.jsonl');
    expect(exchanges[0]!.exchange.reply?.json).toEqual(ping);
    expect(exchanges[1]!.exchange.reply).toBeUndefined();
    expect(problems).toEqual(['exchanges.jsonl:2: the recorded reply or request is cut; only what is whole is validated']);
  });

  it('reports lines that are not exchanges, and goes on', () => {
    const { exchanges, problems } = readExchangeLog(`nope\n{"request":{}}\n${formatExchangeLogLine(exchange)}`, 'log.jsonl');
    expect(exchanges).toHaveLength(1);
    expect(problems[0]).toMatch(/^log\.jsonl:1: not JSON/);
    expect(problems[1]).toMatch(/^log\.jsonl:2: not an exchange log line: .*startedAt/);
  });
});
