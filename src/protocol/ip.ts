import { isIP } from 'node:net';

/** An address as it is compared: IPv4 written as IPv6 (::ffff:127.0.0.1) is plain IPv4, IPv6 is lower case. */
export function plainIp(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address.toLowerCase();
}
