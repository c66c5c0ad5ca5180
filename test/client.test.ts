// HiveClient against real loopback servers: msw cannot see undici's sockets,
// and a real server also proves the wire format.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HiveClient, curlLine, encodeQuery, respOf } from '../src/client/index.js';

let base: string;
const seen: { method?: string; url?: string; body: string; remote?: string }[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString('utf8'), remote: req.socket.remoteAddress });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/hang') return; // never answers
    if (path === '/redirect') return void res.writeHead(302, { location: 'http://198.51.100.1/elsewhere' }).end();
    if (path === '/big') return void res.writeHead(200, { 'content-type': 'application/json' }).end('"' + 'x'.repeat(2 * 1024 * 1024) + '"');
    if (path === '/latin1') return void res.writeHead(200).end(Buffer.from([0x7b, 0xff, 0x7d]));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"resp":1}');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    const started = Date.now();
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.failure).toEqual({ kind: 'timeout', message: 'no reply within 300 ms' });
    expect(Date.now() - started).toBeLessThan(2_000);
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

  it('prints a curl line that replays the request', () => {
    const line = curlLine({ method: 'POST', url: 'http://h/', headers: { 'content-type': 'application/json' }, body: `{"w":"Epost_ping","iam":"o'neil"}` });
    expect(line).toBe(`curl -sS --max-redirs 0 -X POST -H 'content-type: application/json' --data-binary '{"w":"Epost_ping","iam":"o'\\''neil"}' 'http://h/'`);
  });
});
