// Outbound requests of the reference Hive: a domain the operator did not map
// is reached only at a public address, so a relay naming a domain that
// resolves to loopback, a private network or link-local (cloud metadata)
// cannot make the Hive probe its own network.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbound } from '../../src/hive/outbound.js';
import { isInternalAddress, publicOnlyLookup } from '../../src/hive/public-address.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => void (await Promise.all(open.splice(0).map((thing) => thing.close()))));

describe('internal addresses', () => {
  it.each(['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:7f00:1', '::FFFF:a9fe:a9fe', '224.0.0.1', '255.255.255.255', '198.18.0.1', 'ff02::1'])('%s is internal', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '::ffff:808:808'])('%s is public', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });

  it('the lookup fails a name with any internal address, and passes a public one', async () => {
    const lookupWith = (addresses: string[]) => publicOnlyLookup((_name, _options, callback) => callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))));
    const ask = (addresses: string[]) => new Promise<unknown>((resolve) => lookupWith(addresses)('epost.evil.test', { all: true }, (error: unknown, found: unknown) => resolve(error ?? found)));
    expect(String(await ask(['93.184.216.34', '169.254.169.254']))).toMatch(/169\.254\.169\.254, an internal address/);
    expect(await ask(['93.184.216.34'])).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });
});

describe('Outbound', () => {
  async function listening() {
    let requests = 0;
    const server = createServer((_req, res) => (requests++, res.end('{"resp":1}')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, requests: () => requests };
  }

  it('does not reach a loopback address for an unmapped base URL, and does for a mapped one', async () => {
    const target = await listening();
    const unmapped = new Outbound({ timeoutMs: 2_000 }, new Set());
    const mapped = new Outbound({ timeoutMs: 2_000 }, new Set([target.url]));
    open.push(unmapped, mapped);
    const refused = await unmapped.call(target.url, 'Epost_ping', { iam: 'psychocat::hive.pame.test' });
    expect(refused.failure?.message).toMatch(/internal address/);
    expect(target.requests()).toBe(0);
    const reached = await mapped.call(target.url, 'Epost_ping', { iam: 'psychocat::hive.pame.test' });
    expect(reached.reply?.status).toBe(200);
    expect(target.requests()).toBe(1);
  });
});
