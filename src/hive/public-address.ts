import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a Hive never reaches for a domain its operator did not map: a
 * relay naming a domain that resolves here would turn the Hive into a probe of
 * its own network (loopback, private, shared, link-local: cloud metadata lives
 * at 169.254.169.254), or at addresses no Hive serves from (multicast, reserved,
 * benchmarking).
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) INTERNAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) INTERNAL.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is loopback, private, shared or link-local (an IPv4-mapped IPv6 address counts as its IPv4 one). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1]!, 'ipv4');
  // The same written in hex (::ffff:7f00:1 is 127.0.0.1).
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return INTERNAL.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  const family = isIP(address);
  return family === 0 || INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type Resolve = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A DNS lookup for outgoing connections that fails when any address of the
 * name is internal. It runs at connect time, so a name that resolves to a
 * public address when checked and an internal one when used cannot slip by.
 */
export function publicOnlyLookup(resolve: Resolve = dnsLookup): LookupFunction {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (...args: never[]) => void) => {
    const reply = callback as unknown as (error: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return reply(error);
      const internal = addresses.find(({ address }) => isInternalAddress(address));
      if (internal || addresses.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${internal?.address ?? 'nothing'}, an internal address; only a domain the operator mapped may be reached there`);
        refused.code = 'EPAMEINTERNAL';
        return reply(refused);
      }
      if ((options as LookupAllOptions).all) return reply(null, addresses);
      reply(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
