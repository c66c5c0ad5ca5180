// Fronted Hives: each option against a loopback server that requires it, and fails without it.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureCertificates } from '../../fixtures/hostile/certificates.js';
import { FRONTING_HEADER_SHOWN, HiveClient } from '../../src/client/client.js';
import { createEnvironment } from '../../src/checks/environment.js';

const PONG = JSON.stringify({ resp: 1, hive: 'fronted.pame.test', v: '0.2.1' });
const answer = (res: ServerResponse, status: number, body: string): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(body);

const servers: Server[] = [];
async function listen(server: Server, scheme: 'http' | 'https' = 'http'): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `${scheme}://127.0.0.1:${port}/`;
}
afterAll(async () => {
  for (const server of servers) server.closeAllConnections?.();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const certificates = makeFixtureCertificates();
/** A second, unrelated self-signed certificate: the client's, for mTLS. */
const client = makeFixtureCertificates().selfSigned;

describe('--header', () => {
  let gateway: string;
  beforeAll(async () => {
    gateway = await listen(createHttpServer((req, res) => (req.headers['x-gateway-key'] === 's3cret' ? answer(res, 200, PONG) : answer(res, 401, '{"error":"no key"}'))));
  });

  it('is sent with every request, and recorded redacted', async () => {
    const bare = new HiveClient(gateway);
    const fronted = new HiveClient(gateway, { fronting: { headers: { 'x-gateway-key': 's3cret' } } });
    try {
      expect((await bare.call('Epost_ping', { iam: 'a' })).reply?.status).toBe(401);
      for (const method of ['POST', 'GET'] as const) {
        const exchange = await fronted.call('Epost_ping', { iam: 'a' }, { method });
        expect(exchange.reply?.status).toBe(200);
        expect(exchange.request.headers['x-gateway-key']).toBe(FRONTING_HEADER_SHOWN);
        expect(JSON.stringify(exchange)).not.toContain('s3cret');
      }
      const raw = await fronted.send({ method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } });
      expect(raw.reply?.status).toBe(200);
      expect(raw.request.headers['content-type']).toBe('text/plain');
    } finally {
      await Promise.all([bare.close(), fronted.close()]);
    }
  });
});

describe('--ca and mTLS', () => {
  let privateCa: string;
  let mutual: string;
  beforeAll(async () => {
    privateCa = await listen(createHttpsServer({ ...certificates.selfSigned }, (_req, res) => answer(res, 200, PONG)), 'https');
    mutual = await listen(createHttpsServer({ ...certificates.selfSigned, requestCert: true, rejectUnauthorized: true, ca: client.cert }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      answer(res, 200, peer?.subject ? PONG : '{"resp":-1}');
    }), 'https');
  });

  it('--ca trusts a private authority the system does not know', async () => {
    const untrusting = new HiveClient(privateCa, { timeoutMs: 3000 });
    const trusting = new HiveClient(privateCa, { fronting: { ca: certificates.selfSigned.cert } });
    try {
      expect((await untrusting.call('Epost_ping', { iam: 'a' })).failure?.kind).toBe('tls');
      expect((await trusting.call('Epost_ping', { iam: 'a' })).reply?.json).toEqual(JSON.parse(PONG));
    } finally {
      await Promise.all([untrusting.close(), trusting.close()]);
    }
  });

  it('--client-cert and --client-key answer a Hive that asks for a client certificate', async () => {
    const anonymous = new HiveClient(mutual, { timeoutMs: 3000, fronting: { ca: certificates.selfSigned.cert } });
    const identified = new HiveClient(mutual, { fronting: { ca: certificates.selfSigned.cert, cert: client.cert, key: client.key } });
    try {
      const refused = await anonymous.call('Epost_ping', { iam: 'a' });
      expect(refused.reply, 'a server requiring a client certificate answered without one').toBeUndefined();
      expect(['tls', 'network']).toContain(refused.failure?.kind);
      expect((await identified.call('Epost_ping', { iam: 'a' })).reply?.json).toEqual(JSON.parse(PONG));
    } finally {
      await Promise.all([anonymous.close(), identified.close()]);
    }
  });
});

describe('--proxy', () => {
  let target: string;
  let proxy: string;
  const tunnels: string[] = [];
  beforeAll(async () => {
    target = await listen(createHttpServer((_req, res) => answer(res, 200, PONG)));
    // A forward proxy that only tunnels (CONNECT), and only to loopback.
    const forward = createHttpServer((_req, res) => answer(res, 405, '{}'));
    forward.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      if (host !== '127.0.0.1') return socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    proxy = await listen(forward);
  });

  it('sends every request through the proxy', async () => {
    const proxied = new HiveClient(target, { fronting: { proxy } });
    try {
      const exchange = await proxied.call('Epost_ping', { iam: 'a' });
      expect(exchange.reply?.json).toEqual(JSON.parse(PONG));
      expect(tunnels).toEqual([new URL(target).host]);
    } finally {
      await proxied.close();
    }
  });

  it('fails a request when the proxy is down, rather than going around it', async () => {
    const dead = new HiveClient(target, { timeoutMs: 2000, fronting: { proxy: 'http://127.0.0.1:1/' } });
    try {
      const exchange = await dead.call('Epost_ping', { iam: 'a' });
      expect(exchange.reply).toBeUndefined();
      expect(exchange.failure?.kind).toBe('network');
    } finally {
      await dead.close();
    }
  });

  it('is never used by the peer server, which keeps the headers and TLS options', async () => {
    const environment = await createEnvironment({
      target, domain: 'fronted.pame.test', timeoutMs: 2000, maxReplyBytes: 65536, concurrency: 4, insecure: false, checkTimeoutMs: 5000,
      userPrefix: 'pamet-x-', accounts: [], only: [], skip: [], seed: 1, fuzzRuns: 0,
      fronting: { proxy, headers: { 'x-gateway-key': 's3cret' }, ca: certificates.selfSigned.cert },
      peer: { host: '127.0.0.1', port: 0 },
    });
    try {
      const peer = await environment.peer();
      expect(peer.options.client?.fronting).toEqual({ headers: { 'x-gateway-key': 's3cret' }, ca: certificates.selfSigned.cert });
    } finally {
      await environment.close();
    }
  });
});
