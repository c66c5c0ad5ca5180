// The runner's peer server on its own: where it listens, what it records, how
// it answers the tickets it issued and everything else, and that it takes the
// Hive's relays like any Hive.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HiveClient } from '../../src/client/index.js';
import { respOf, type Exchange } from '../../src/client/exchange.js';
import { createHive, type ReferenceHive, TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { confirm, deny, hang, late, redirect } from '../../src/peer/answers.js';
import { peerMap, peerSystemAddress } from '../../src/peer/domains.js';
import { PeerServer, DEFAULT_PEER_MAX_BODY_BYTES } from '../../src/peer/server.js';
import { freePort } from '../../src/runner/free-port.js';

const HIVE_DOMAIN = 'hive.pame.test';
const HIVE_PSYCHOCAT = `psychocat::${HIVE_DOMAIN}`;
const MESSAGE = { msg: 'm1', from: 'ana::alpha.pame.test', to: ['bob::hive.pame.test'], date: '2025-03-14T15:09:26Z', ip: '198.51.100.23', subject: 's', format: 'plain', body: 'b' };

/** How long a poll waits for what the peer is sure to do: vitest's 1 s default is not enough on a loaded machine, and a poll ends as soon as it holds. */
const SETTLES = { timeout: 10_000 };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()));
});

async function startPeer(hiveUrl = 'http://127.0.0.1:9/'): Promise<PeerServer> {
  const peer = await PeerServer.start({ peer: { host: '127.0.0.1', port: 0 }, hiveUrl, hiveDomain: HIVE_DOMAIN });
  open.push(peer);
  return peer;
}

/** A client that talks to one peer Hive as the Hive under test would. */
function clientFor(peer: PeerServer, name: 'alpha' | 'beta' | 'gamma', timeoutMs = 5_000): HiveClient {
  const client = new HiveClient(peer.baseUrl(name), { timeoutMs });
  open.push(client);
  return client;
}

describe('the peer server', () => {
  it('binds the loopback address it is given, on the port it picked, and its map follows that port', async () => {
    const peer = await startPeer();
    expect(peer.bound.host).toBe('127.0.0.1');
    expect(peer.bound.port).toBeGreaterThan(0);
    expect(peer.map).toBe(peerMap({ host: '127.0.0.1', port: peer.bound.port }));
    expect(peer.baseUrl('beta')).toBe(`http://127.0.0.1:${peer.bound.port}/beta/`);
  });

  it('records every request: code, parts, path, source address and time', async () => {
    const peer = await startPeer();
    const before = Date.now();
    for (const method of ['GET', 'POST'] as const) await clientFor(peer, 'alpha').call('Epost_ping', { iam: HIVE_PSYCHOCAT }, { method });
    expect(peer.requests).toHaveLength(2);
    for (const [i, method] of (['GET', 'POST'] as const).entries()) {
      const recorded = peer.requests[i]!;
      expect(recorded).toMatchObject({ method, path: '/alpha/', peer: 'alpha', code: 'Epost_ping', parts: { w: 'Epost_ping', iam: HIVE_PSYCHOCAT }, unexpected: undefined });
      expect(recorded.source).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(recorded.receivedAt).toBeGreaterThanOrEqual(before);
      expect(recorded.outcome).toMatchObject({ status: 200 });
    }
  });

  it("answers a ping with the peer Hive's own domain", async () => {
    const peer = await startPeer();
    const ping = await clientFor(peer, 'gamma').call('Epost_ping', { iam: HIVE_PSYCHOCAT });
    expect(ping.reply?.json).toEqual({ resp: 1, hive: 'gamma.pame.test', version: '0.2.1' });
  });

  it('refuses a body over its cap unread, and records why', async () => {
    const peer = await startPeer();
    const body = JSON.stringify({ w: 'Epost_msg_fetch', iam: HIVE_PSYCHOCAT, ticket: 'x'.repeat(DEFAULT_PEER_MAX_BODY_BYTES) });
    const exchange = await clientFor(peer, 'alpha').send({ method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(exchange.reply?.status).toBe(413);
    expect(peer.requests[0]?.unexpected?.reason).toMatch(/cap/);
  });

  it('ends a chunked body that grows past its cap', async () => {
    const peer = await startPeer();
    const ended = await new Promise<string>((resolve) => {
      const req = request(peer.baseUrl('alpha'), { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', () => resolve('connection ended'));
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const write = (left: number): void => {
        if (left === 0) return void req.end();
        if (req.write(chunk)) write(left - 1);
        else req.once('drain', () => write(left - 1));
      };
      write(Math.ceil((2 * DEFAULT_PEER_MAX_BODY_BYTES) / chunk.length));
    });
    expect(['connection ended', 'status 413']).toContain(ended);
    await expect.poll(() => peer.requests[0]?.unexpected?.rule, SETTLES).toBe('Q10');
  });

  it('answers a ticket it never issued with 0, and records that no scenario owns it', async () => {
    const peer = await startPeer();
    const fetch = await clientFor(peer, 'alpha').call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket: 'never-issued' });
    expect(fetch.reply?.json).toEqual({ resp: 0 });
    // Not wrong in itself: another check may have relayed that ticket to the Hive as alpha.
    expect(peer.requests[0]).toMatchObject({ scenario: undefined, unexpected: undefined, unattributed: expect.stringMatching(/no scenario issued/) });
  });

  it('answers its own ticket only at the peer Hive that issued it', async () => {
    const peer = await startPeer();
    const ticket = peer.script.issue('scenario', { alpha: confirm(MESSAGE) });
    const right = await clientFor(peer, 'alpha').call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket });
    const wrong = await clientFor(peer, 'beta').call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket });
    expect(right.reply?.json).toEqual({ resp: 1, msg: MESSAGE });
    expect(wrong.reply?.json).toEqual({ resp: 0 });
    expect(peer.requests.map((r) => [r.scenario, r.unexpected?.rule])).toEqual([['scenario', undefined], ['scenario', 'C2']]);
  });

  it('marks a step 2 that does not come from the Hive\'s psychocat (A3), and requests off the peer paths (C2)', async () => {
    const peer = await startPeer();
    const ticket = peer.script.issue('scenario', { alpha: confirm(MESSAGE) });
    const stranger = await clientFor(peer, 'alpha').call('Epost_msg_fetch', { iam: 'mallory::hive.pame.test', ticket });
    expect(stranger.reply?.json).toEqual({ resp: 0 });
    const elsewhere = new HiveClient(peer.elsewhere('callback'));
    open.push(elsewhere);
    const off = await elsewhere.call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket });
    expect(off.reply?.status).toBe(404);
    expect(peer.requests.map((r) => r.unexpected?.rule)).toEqual(['A3', 'C2']);
  });

  it('denies, answers late, redirects and holds requests as scripted', async () => {
    const peer = await startPeer();
    const denied = peer.script.issue('scenario', { alpha: deny() });
    const slow = peer.script.issue('scenario', { alpha: late(300, confirm(MESSAGE)) });
    const moved = peer.script.issue('scenario', { alpha: redirect(peer.elsewhere('moved'), MESSAGE) });
    const held = peer.script.issue('scenario', { alpha: hang() });
    const alpha = clientFor(peer, 'alpha');
    expect((await alpha.call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket: denied })).reply?.json).toEqual({ resp: 0 });
    const late300 = await alpha.call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket: slow });
    expect(respOf(late300)).toBe(1);
    expect(late300.durationMs).toBeGreaterThanOrEqual(290);
    const redirected = await alpha.call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket: moved });
    expect(redirected.reply?.status).toBe(307);
    expect(redirected.reply?.headers.location).toBe(peer.elsewhere('moved'));
    // A short deadline for the held request only: the late answer must not race it on a loaded machine.
    const hung = await clientFor(peer, 'alpha', 1_000).call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket: held });
    expect(hung.failure?.kind).toBe('timeout');
    await expect.poll(() => peer.requests.at(-1)?.outcome, SETTLES).toMatchObject({ closed: true });
  });

  it('closes while a request is held open', async () => {
    const peer = await PeerServer.start({ peer: { host: '127.0.0.1', port: 0 }, hiveUrl: 'http://127.0.0.1:9/', hiveDomain: HIVE_DOMAIN });
    const ticket = peer.script.issue('scenario', { alpha: hang() });
    const client = clientFor(peer, 'alpha', 10_000);
    const pending = client.call('Epost_msg_fetch', { iam: HIVE_PSYCHOCAT, ticket });
    await expect.poll(() => peer.requests.length, SETTLES).toBe(1);
    await peer.close();
    expect((await pending).failure?.kind).toBe('network');
  });

  it('records the relay it is taking when it closes, and its step 2 cut short, before close() returns', async () => {
    // A Hive that never answers step 2: only the close can end the peer's fetch (its own deadline is far off).
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => (silent.closeAllConnections(), silent.close(() => resolve()))) });
    const recorded: string[] = [];
    const record = (route: string) => (exchange: Exchange) => recorded.push(`${route} ${exchange.code} ${exchange.failure?.kind ?? exchange.reply?.status}`);
    const { port } = silent.address() as AddressInfo;
    const peer = await PeerServer.start({ peer: { host: '127.0.0.1', port: 0 }, hiveUrl: `http://127.0.0.1:${port}/`, hiveDomain: HIVE_DOMAIN, client: { timeoutMs: 600_000, onExchange: record('peer→hive') }, onExchange: record('hive→peer') });
    const pending = clientFor(peer, 'alpha', 600_000).call('Epost_msg_relay', { iam: HIVE_PSYCHOCAT, ticket: 'a-ticket-the-hive-issued' });
    await expect.poll(() => peer.requests.length, SETTLES).toBe(1);
    await peer.close();
    expect(recorded.sort()).toEqual(['hive→peer Epost_msg_relay 200', 'peer→hive Epost_msg_fetch cancelled']);
    await pending;
  });
});

describe("the peer server taking the Hive's relays", () => {
  let hive: ReferenceHive | undefined;
  afterEach(async () => hive?.close());

  it('fetches each ticket back from the Hive, and answers 1 only for recipients a scenario has', async () => {
    const settings = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
    hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: HIVE_DOMAIN, resolve: peerMap(settings) });
    const { url } = await hive.listen(0, '127.0.0.1');
    const peer = await PeerServer.start({ peer: settings, hiveUrl: url, hiveDomain: HIVE_DOMAIN });
    open.push(peer);
    peer.script.addRecipient('scenario', 'x::alpha.pame.test');

    const client = new HiveClient(url);
    open.push(client);
    const pass = 'correct horse battery';
    expect(respOf(await client.call('Epost_user_register', { iam: 'ana', pass }))).toBe(1);
    const { session } = (await client.call('Epost_session_open', { iam: 'ana', pass })).reply?.json as { session: string };
    await client.call('Epost_msg_send', { iam: 'ana', to: ['x::alpha.pame.test', 'y::beta.pame.test'], body: 'hi' }, { session });

    await expect.poll(() => peer.relays.length, SETTLES).toBe(2);
    const alpha = peer.relays.find((relay) => relay.peer === 'alpha')!;
    const beta = peer.relays.find((relay) => relay.peer === 'beta')!;
    expect(alpha.recipients).toEqual(['x::alpha.pame.test']);
    expect(beta.recipients).toEqual(['y::beta.pame.test']);
    expect(alpha.request).toMatchObject({ code: 'Epost_msg_relay', parts: { iam: HIVE_PSYCHOCAT }, scenario: 'scenario', unexpected: undefined });
    expect(beta.request.scenario).toBeUndefined();
    expect(respOf(alpha.fetch)).toBe(1);
    expect(alpha.fetch.request.body).toContain(peerSystemAddress('alpha'));

    // The same relays once more, to read the answers: 1 where a scenario has the recipient, -3.3 where none has.
    for (const [relay, resp] of [[alpha, 1], [beta, -3.3]] as const) {
      const again = await clientFor(peer, relay.peer).call('Epost_msg_relay', { iam: HIVE_PSYCHOCAT, ticket: relay.ticket });
      expect(respOf(again)).toBe(resp);
    }
    const unknown = await clientFor(peer, 'alpha').call('Epost_msg_relay', { iam: HIVE_PSYCHOCAT, ticket: 'not-issued-by-the-hive' });
    expect(respOf(unknown)).toBe(0);
  });
});
