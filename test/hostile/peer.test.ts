// The runner's peer server as a run starts it (createEnvironment, run
// defaults), against what a hostile Hive can do to it. Its protocol behaviour
// (body cap, own tickets only) is proven in test/peer/server.test.ts.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE_DOMAIN, startHostile } from '../../fixtures/hostile/hives.js';
import { createEnvironment, type CheckEnvironment } from '../../src/checks/environment.js';
import { DEFAULT_MAX_REPLY_BYTES, HiveClient } from '../../src/client/client.js';
import { respOf } from '../../src/client/exchange.js';
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
