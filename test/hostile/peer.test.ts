// The runner's peer server as a run starts it (createEnvironment, run
// defaults), against what a hostile Hive can do to it. Its protocol behaviour
// (body cap, own tickets only) is proven in test/peer/server.test.ts.
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE_DOMAIN, startHostile } from '../../fixtures/hostile/hives.js';
import { createEnvironment, type CheckEnvironment } from '../../src/checks/environment.js';
import { DEFAULT_MAX_REPLY_BYTES, HiveClient } from '../../src/client/client.js';
import { respOf } from '../../src/client/exchange.js';
import { PEER_LIMITS, PeerServer, type PeerLimits } from '../../src/peer/server.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/runner/options.js';
import { testSettings } from '../support/run-checks.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => void (await Promise.all(open.splice(0).map((thing) => thing.close()))));

/** The environment a run's worker builds, its peer listening where the run's defaults say. */
async function runEnvironment(hiveUrl: string): Promise<CheckEnvironment> {
  const env = await createEnvironment(testSettings(hiveUrl, { domain: HOSTILE_DOMAIN, peer: { host: DEFAULT_RUN_OPTIONS.peerHost, port: 0 } }));
  open.push(env);
  return env;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe("the runner's peer server", () => {
  it('listens on loopback only unless --peer-host says otherwise: another address cannot reach it', async () => {
    const hostile = await startHostile('silent');
    open.push(hostile);
    const peer = await (await runEnvironment(hostile.url)).peer();
    expect(peer.bound.host).toBe('127.0.0.1');
    expect(await connects('127.0.0.1', peer.bound.port)).toBe(true);
    expect(await connects('127.0.0.2', peer.bound.port)).toBe(false);
  });

  it('fetching a 100 MB Message from a hostile Hive reads no more than the reply cap and answers the relay 0', async () => {
    const hostile = await startHostile('huge-message');
    open.push(hostile);
    const peer = await (await runEnvironment(hostile.url)).peer();
    const before = process.memoryUsage().rss;
    // The hostile Hive relays a ticket to alpha; alpha fetches it back from the Hive (step 2).
    const relayer = new HiveClient(peer.baseUrl('alpha'), { timeoutMs: 10_000 });
    open.push(relayer);
    const relay = await relayer.call('Epost_msg_relay', { iam: `psychocat::${HOSTILE_DOMAIN}`, ticket: 'hostile-ticket-0123456789abcdef' });
    expect(respOf(relay)).toBe(0);
    const fetch = peer.relays.at(-1)?.fetch;
    expect(fetch?.failure?.kind).toBe('too-large');
    expect(fetch?.failure?.message).toContain(`larger than ${DEFAULT_MAX_REPLY_BYTES} bytes`);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("the peer server's memory, whatever the Hive sends", () => {
  async function boundedPeer(hiveUrl: string, limits: Partial<PeerLimits>): Promise<PeerServer> {
    const peer = await PeerServer.start({ peer: { host: '127.0.0.1', port: 0 }, hiveUrl, hiveDomain: HOSTILE_DOMAIN, limits });
    open.push(peer);
    return peer;
  }

  /** A Hive that answers every request with the same reply. */
  async function answering(body: string): Promise<string> {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  it('keeps a bounded log of a flood of requests, and counts them all', async () => {
    const peer = await boundedPeer('http://127.0.0.1:9/', { logEntries: 50, logBytes: 256 * 1024 });
    const client = new HiveClient(peer.baseUrl('alpha'));
    open.push(client);
    const pad = 'x'.repeat(20_000);
    for (let i = 0; i < 120; i++) await client.call('Epost_ping', { iam: `psychocat::${HOSTILE_DOMAIN}`, pad });
    expect(peer.received).toBe(120);
    expect(peer.requests.length).toBeLessThanOrEqual(50);
    expect(peer.requests.reduce((sum, r) => sum + JSON.stringify(r.parts).length, 0)).toBeLessThanOrEqual(256 * 1024);
    expect(peer.requests.at(-1)?.seq).toBe(119);
  });

  it('drops the body of a fetched reply once judged, and refuses relays past the run budget unfetched', async () => {
    const huge = JSON.stringify({ resp: 1, msg: { to: [`ana::alpha.pame.test`], body: 'y'.repeat(500_000) } });
    const peer = await boundedPeer(await answering(huge), { relays: 2 });
    const relayer = new HiveClient(peer.baseUrl('alpha'));
    open.push(relayer);
    const relay = (n: number) => relayer.call('Epost_msg_relay', { iam: `psychocat::${HOSTILE_DOMAIN}`, ticket: `ticket-${n}-0123456789` });
    for (const n of [1, 2, 3]) await relay(n);
    expect(peer.relays).toHaveLength(2);
    for (const { fetch, recipients } of peer.relays) {
      expect(recipients, 'judged before the body went').toEqual(['ana::alpha.pame.test']);
      expect(fetch.reply!.bytes.length).toBeLessThanOrEqual(PEER_LIMITS.keptReplyBytes);
      expect(fetch.reply!.json).toBeUndefined();
    }
    expect(peer.requests.at(-1)?.unattributed).toMatch(/budget of 2 relays/);
  });

  it("reads a GET part named __proto__ as an ordinary part, with the Hive's own decoder", async () => {
    const peer = await boundedPeer('http://127.0.0.1:9/', {});
    const client = new HiveClient(peer.baseUrl('alpha'));
    open.push(client);
    await client.send({ method: 'GET', query: `?w=%22Epost_ping%22&__proto__=${encodeURIComponent('{"polluted":true}')}` });
    const parts = peer.requests.at(-1)!.parts!;
    expect(Object.hasOwn(parts, '__proto__')).toBe(true);
    expect((parts as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parts)).toBe(Object.prototype);
  });
});
