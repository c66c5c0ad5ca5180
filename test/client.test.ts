// HiveClient against real loopback servers: msw cannot see undici's sockets,
// and a real server also proves the wire format.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HiveClient, curlLine, encodeQuery, respOf } from '../src/client/index.js';
import { settlesBefore } from './support/timing.js';

let base: string;
const seen: { method?: string; url?: string; body: string; bytes: Buffer; remote?: string }[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const bytes = Buffer.concat(chunks);
    seen.push({ method: req.method, url: req.url, body: bytes.toString('utf8'), bytes, remote: req.socket.remoteAddress });
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (path === '/hang') return; // never answers
    if (path === '/redirect') return void res.writeHead(302, { location: 'http://198.51.100.1/elsewhere' }).end();
    if (path === '/big') return void res.writeHead(200, { 'content-type': 'application/json' }).end('"' + 'x'.repeat(2 * 1024 * 1024) + '"');
    if (path === '/latin1') return void res.writeHead(200).end(Buffer.from([0x7b, 0xff, 0x7d]));
    // A JSON string of exactly `n` bytes, in two writes so it can arrive in pieces.
    if (path === '/sized') {
      const text = '"' + 'x'.repeat(Number(url.searchParams.get('n')) - 2) + '"';
      res.writeHead(200, { 'content-type': 'application/json' }).write(text.slice(0, 40));
      return void setTimeout(() => res.end(text.slice(40)), 20);
    }
    if (path === '/early-hints') {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"resp":1}');
    }
    if (path === '/cookies') return void res.writeHead(200, [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Hive-Name', 'Test']]).end('{"resp":1}');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"resp":1}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
// Accepts connections and never says a word: a TLS handshake with it never ends.
const silentSockets: Socket[] = [];
const silent = createTcpServer((socket) => void silentSockets.push(socket));
let silentBase: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentBase = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('HiveClient', () => {
  it('encodes GET parts as JSON text query parameters (T4)', async () => {
    const client = new HiveClient(base + '/');
    const exchange = await client.call('Epost_conv_old', { iam: 'ana', conv: 'c1', start: 0, limit: 10 }, { method: 'GET', session: 'k' });
    expect(respOf(exchange)).toBe(1);
    const url = new URL(seen.at(-1)!.url!, base);
    expect(JSON.parse(url.searchParams.get('w')!)).toBe('Epost_conv_old');
    expect(JSON.parse(url.searchParams.get('start')!)).toBe(0);
    expect(JSON.parse(url.searchParams.get('session')!)).toBe('k');
    expect(encodeQuery({ to: ['ana'] })).toBe('?to=%5B%22ana%22%5D');
    await client.close();
  });

  it('sends POST parts as one JSON object', async () => {
    const client = new HiveClient(base + '/');
    await client.call('Epost_ping', { iam: 'ana' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST' });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ w: 'Epost_ping', iam: 'ana' });
    await client.close();
  });

  it('gives up at the deadline and says so', async () => {
    const client = new HiveClient(base + '/hang', { timeoutMs: 300 });
    const call = client.call('Epost_ping', { iam: 'ana' });
    expect(await settlesBefore(call, 2_000)).toBe(true);
    const exchange = await call;
    expect(exchange.failure).toEqual({ kind: 'timeout', message: 'no reply within 300 ms' });
    expect(exchange.durationMs).toBeGreaterThanOrEqual(290);
    await client.close();
  });

  it('caps the reply size and stops reading', async () => {
    const client = new HiveClient(base + '/big', { maxReplyBytes: 64 * 1024 });
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.failure?.kind).toBe('too-large');
    await client.close();
  });

  it('never follows a redirect', async () => {
    const client = new HiveClient(base + '/redirect');
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.reply?.status).toBe(302);
    expect(exchange.reply?.headers.location).toBe('http://198.51.100.1/elsewhere');
    await client.close();
  });

  it('keeps bytes that are not UTF-8 and says why they are not JSON', async () => {
    const client = new HiveClient(base + '/latin1');
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.reply?.parseError).toBe('the reply is not valid UTF-8');
    expect([...exchange.reply!.bytes]).toEqual([0x7b, 0xff, 0x7d]);
    await client.close();
  });

  it('sends from a second loopback address when asked', async () => {
    const client = new HiveClient(base + '/');
    await client.call('Epost_ping', { iam: 'ana' }, { localAddress: '127.0.0.2' });
    expect(seen.at(-1)!.remote).toBe('127.0.0.2');
    await client.close();
  });

  it('reports a refused connection as a network failure, never a throw', async () => {
    const client = new HiveClient('http://127.0.0.1:1/');
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.failure?.kind).toBe('network');
    expect(exchange.failure?.message).toMatch(/ECONNREFUSED/);
    await client.close();
  });

  it('gives up at the deadline before the connection is even up, and close() ends the attempt', async () => {
    const client = new HiveClient(silentBase + '/');
    const sent = client.send({ method: 'GET', timeoutMs: 300 });
    expect(await settlesBefore(sent, 1_500)).toBe(true);
    const exchange = await sent;
    expect(exchange.failure).toEqual({ kind: 'timeout', message: 'no reply within 300 ms' });
    await client.close();
  });

  it('gives up at the deadline while waiting for a free connection, and never sends that request', async () => {
    // The Agent's 64 connections are all taken by requests with a longer deadline: the last one waits in undici's queue.
    const client = new HiveClient(base + '/hang', { concurrency: 65 });
    const holders = Array.from({ length: 64 }, () => client.send({ method: 'GET', query: '?batch=holder', timeoutMs: 1_000 }));
    let holdersEnded = 0;
    for (const holder of holders) void holder.then(() => holdersEnded++);
    const queued = await client.send({ method: 'GET', query: '?batch=queued', timeoutMs: 200 });
    expect(queued.failure).toEqual({ kind: 'timeout', message: 'no reply within 200 ms' });
    // Its own deadline ended it, not a connection freed by the holders' (later) deadline.
    expect(holdersEnded).toBe(0);
    expect((await Promise.all(holders)).map((exchange) => exchange.failure?.kind)).toEqual(Array.from({ length: 64 }, () => 'timeout'));
    // Give the queued request, had it been sent once a connection freed, the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.filter((request) => request.url === '/hang?batch=holder')).toHaveLength(64);
    expect(seen.filter((request) => request.url === '/hang?batch=queued')).toEqual([]);
    await client.close();
  });

  it('starts the deadline when the request leaves the concurrency limit', async () => {
    const client = new HiveClient(base + '/hang', { timeoutMs: 300, concurrency: 1 });
    const started = Date.now();
    const exchanges = await Promise.all([client.send({ method: 'GET' }), client.send({ method: 'GET' })]);
    expect(exchanges.map((exchange) => exchange.failure?.kind)).toEqual(['timeout', 'timeout']);
    for (const exchange of exchanges) expect(exchange.durationMs).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    await client.close();
  });

  it('records each exchange once, even when undici reports the aborted request afterwards', async () => {
    const recorded: unknown[] = [];
    const client = new HiveClient(base + '/hang', { timeoutMs: 200, onExchange: (exchange) => recorded.push(exchange) });
    const timedOut = await client.call('Epost_ping', { iam: 'ana' });
    const answered = await client.send({ method: 'GET', query: '?w=%22Epost_ping%22' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorded).toEqual([timedOut, answered]);
    expect(recorded[0]).toBe(timedOut);
    await client.close();
  });

  it('fails the call, and nothing else, when onExchange throws', async () => {
    const boom = (): never => {
      throw new Error('recording failed');
    };
    const answering = new HiveClient(base + '/', { onExchange: boom });
    await expect(answering.call('Epost_ping', { iam: 'ana' })).rejects.toThrow('recording failed');
    const hanging = new HiveClient(base + '/hang', { timeoutMs: 100, onExchange: boom });
    await expect(hanging.call('Epost_ping', { iam: 'ana' })).rejects.toThrow('recording failed');
    await Promise.all([answering.close(), hanging.close()]);
  });

  it('ends requests in flight as failures when closed', async () => {
    const client = new HiveClient(base + '/hang');
    const hanging = client.send({ method: 'GET' });
    const connecting = new HiveClient(silentBase + '/');
    const handshaking = connecting.send({ method: 'GET' });
    let ended = 0;
    for (const pending of [hanging, handshaking]) void pending.then(() => ended++);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([client.close(), connecting.close()]);
    // Ended by close() itself, not left to their deadline.
    expect(ended).toBe(2);
    const exchanges = await Promise.all([hanging, handshaking]);
    expect(exchanges.map((exchange) => exchange.failure?.kind)).toEqual(['network', 'network']);
  });

  it('accepts a reply exactly at the size cap and refuses one byte more, naming its first 80 bytes', async () => {
    const client = new HiveClient(base + '/sized', { maxReplyBytes: 1000 });
    const atCap = await client.send({ method: 'GET', query: '?n=1000' });
    expect(atCap.reply?.bytes.length).toBe(1000);
    expect(atCap.reply?.json).toBe('x'.repeat(998));
    const over = await client.send({ method: 'GET', query: '?n=1001' });
    expect(over.reply).toBeUndefined();
    expect(over.failure).toEqual({ kind: 'too-large', message: `the reply is larger than 1000 bytes; the rest was not read; it began ${JSON.stringify('"' + 'x'.repeat(79))}` });
    await client.close();
  });

  it('records the final reply after informational ones', async () => {
    const client = new HiveClient(base + '/early-hints');
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.reply?.status).toBe(200);
    expect(respOf(exchange)).toBe(1);
    await client.close();
  });

  it('keeps reply headers as undici parses them: lower-case names, repeated ones in an array', async () => {
    const client = new HiveClient(base + '/cookies');
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.reply?.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(exchange.reply?.headers['x-hive-name']).toBe('Test');
    await client.close();
  });

  it('sends a raw query as the URL API normalises it, and records that URL', async () => {
    const client = new HiveClient(base + '/');
    const expected = (query: string): URL => Object.assign(new URL(base + '/'), { search: query });
    for (const query of ['?w=%22Epost_ping%22&iam=%ZZ', '?a=b c"<>`{}|\\^é\u0001#frag', '?', '']) {
      const exchange = await client.send({ method: 'GET', query });
      expect(exchange.request.url).toBe(expected(query).href);
      expect(seen.at(-1)!.url).toBe(expected(query).pathname + expected(query).search);
    }
    await client.close();
  });

  it('keeps the base URL\'s own query for requests without one, and replaces it for those with one', async () => {
    const client = new HiveClient(base + '/?hive=1#top');
    const plain = await client.call('Epost_ping', { iam: 'ana' });
    expect(plain.request.url).toBe(base + '/?hive=1#top');
    expect(seen.at(-1)!.url).toBe('/?hive=1');
    const queried = await client.send({ method: 'GET', query: '?w=1' });
    expect(queried.request.url).toBe(base + '/?w=1#top');
    expect(seen.at(-1)!.url).toBe('/?w=1');
    await client.close();
  });

  it('sends Buffer bodies byte for byte and records bytes that are not UTF-8 in base64', async () => {
    const client = new HiveClient(base + '/');
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const exchange = await client.send({ method: 'POST', body: bytes, headers: { 'content-type': 'application/json' }, localAddress: '127.0.0.2' });
    expect(seen.at(-1)!.bytes).toEqual(bytes);
    expect(exchange.request).toEqual({ method: 'POST', url: base + '/', headers: { 'content-type': 'application/json' }, localAddress: '127.0.0.2', bodyBase64: bytes.toString('base64') });
    const text = await client.send({ method: 'PUT', body: Buffer.from('{"w":"é"}') });
    expect(text.request).toEqual({ method: 'PUT', url: base + '/', headers: {}, body: '{"w":"é"}' });
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', body: '{"w":"é"}' });
    await client.close();
  });

  it('refuses CONNECT, which would hand the socket over, as a failure and never a throw', async () => {
    const client = new HiveClient(base + '/');
    const exchange = await client.send({ method: 'CONNECT' });
    expect(exchange.failure).toEqual({ kind: 'network', message: 'UND_ERR_INVALID_ARG: invalid method' });
    await client.close();
  });

  it('prints a curl line that replays the request', () => {
    const line = curlLine({ method: 'POST', url: 'http://h/', headers: { 'content-type': 'application/json' }, body: `{"w":"Epost_ping","iam":"o'neil"}` });
    expect(line).toBe(`printf %s '{"w":"Epost_ping","iam":"o'\\''neil"}' | curl -sS --max-redirs 0 -X POST -H 'content-type: application/json' --data-binary @- 'http://h/'`);
  });
});
