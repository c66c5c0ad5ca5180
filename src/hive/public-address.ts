import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a Hive never reaches for a domain its operator did not map: a
 * relay naming a domain that resolves here would turn the Hive into a probe of
 * its own network (loopback, private, shared, link-local: cloud metadata lives
 * at 169.254.169.254).
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) INTERNAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) INTERNAL.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is loopback, private, shared or link-local (an IPv4-mapped IPv6 address counts as its IPv4 one). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1]!, 'ipv4');
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
