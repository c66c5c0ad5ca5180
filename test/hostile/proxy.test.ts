// `pame proxy` between a client and a hostile Hive (or a hostile client):
// bounded replies and exchange time, bounded connections, X-Forwarded-For
// appended rather than passed through, hop-by-hop headers stripped both ways,
// and what it prints escaped.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeLine } from '../../src/cli/commands/validate.js';
import { HiveClient } from '../../src/client/client.js';
import type { Exchange } from '../../src/client/exchange.js';
import { createValidatingProxy, type ProxyOptions } from '../../src/proxy/index.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => void (await Promise.all(open.splice(0).reverse().map((thing) => thing.close()))));

/** A Hive that answers as `answer` says and remembers the headers it was sent. */
async function upstream(answer: (res: ServerResponse) => void) {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

async function proxied(hive: string, options: Partial<ProxyOptions> = {}) {
  const exchanges: Exchange[] = [];
  const proxy = createValidatingProxy({ hive, onExchange: (exchange) => exchanges.push(exchange), ...options });
  const { url, port } = await proxy.listen(0, '127.0.0.1');
  open.push(proxy);
  const client = new HiveClient(url, { timeoutMs: 5_000 });
  open.push(client);
  return { client, port, exchanges };
}

const PING = '{"resp":1,"hive":"hive.pame.test","version":"0.2.1"}';

describe('pame proxy against a hostile Hive', () => {
  it('does not forward or hold a reply over its cap: 502, recorded as too large', async () => {
    const hive = await upstream((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"resp":1,"pad":"${'x'.repeat(300_000)}"}`));
    const { client, exchanges } = await proxied(hive.url, { maxReplyBytes: 100_000 });
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    expect(exchange.reply?.status).toBe(502);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exchanges[0]?.failure?.kind).toBe('too-large');
  });

  it('ends an exchange whose reply trickles forever at its deadline', async () => {
    const timers: NodeJS.Timeout[] = [];
    open.push({ close: async () => timers.forEach(clearInterval) });
    const hive = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      timers.push(setInterval(() => res.write(' '), 50));
    });
    const { client, exchanges } = await proxied(hive.url, { timeoutMs: 600 });
    const exchange = await client.call('Epost_ping', { iam: 'ana' });
    // A 502, not the client's own 5 s timeout: the proxy's deadline ended it, however late a loaded machine ran it.
    expect(exchange.reply?.status).toBe(502);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exchanges[0]?.failure?.kind).toBe('timeout');
  });

  it("appends the client's address to X-Forwarded-For and strips hop-by-hop headers both ways", async () => {
    const hive = await upstream((res) => res.writeHead(200, { 'content-type': 'application/json', connection: 'x-hop', 'x-hop': 'upstream-only', 'keep-alive': 'timeout=5' }).end(PING));
    const { client, port } = await proxied(hive.url);
    // Written by hand: an HTTP client library would not send a Connection header naming another header.
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /?w=%22Epost_ping%22&iam=%22ana%22 HTTP/1.1\r\nhost: h\r\nx-forwarded-for: 203.0.113.9\r\nconnection: x-private, close\r\nx-private: secret\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1'))).on('close', () => resolve(text));
    });
    expect(hive.seen[0]!['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(hive.seen[0]!['x-private']).toBeUndefined();
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply.toLowerCase()).not.toContain('x-hop');
    await client.call('Epost_ping', { iam: 'ana' });
    expect(hive.seen[1]!['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('holds no more client connections than its cap', async () => {
    const hive = await upstream((res) => res.end(PING));
    const { port } = await proxied(hive.url, { maxConnections: 2 });
    const sockets = await Promise.all([0, 1, 2].map(() => new Promise<ReturnType<typeof connect>>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
    })));
    open.push({ close: async () => sockets.forEach((socket) => socket.destroy()) });
    const closed = await Promise.all(sockets.map((socket) => new Promise<boolean>((resolve) => {
      socket.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 500);
    })));
    expect(closed.filter(Boolean)).toHaveLength(1);
  });

  it('prints a request code as escaped text, so a client cannot drive the terminal', () => {
    const exchange: Exchange = { code: '\u001b[2J\u001b]0;owned\u0007', request: { method: 'POST', url: 'http://h/', headers: {} }, startedAt: '', durationMs: 0 };
    expect(exchangeLine(exchange)).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});
