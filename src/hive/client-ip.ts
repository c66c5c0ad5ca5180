import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { plainIp } from '../protocol/ip.js';

/**
 * The client's IP for sessions (U2) and the message header (§6): the
 * connection's peer. X-Forwarded-For is believed only when the peer is a
 * trusted proxy (U4), and then only its entries added by trusted proxies: the
 * client is the right-most entry that is not itself a trusted proxy. The
 * Forwarded header is never read. Undefined when the connection is gone.
 */
export function clientIpOf(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string | undefined {
  const peer = req.socket.remoteAddress === undefined ? undefined : plainIp(req.socket.remoteAddress);
  if (peer === undefined || !trustedProxies.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((hop) => plainIp(hop.trim()));
  for (const hop of hops.reverse()) {
    if (isIP(hop) === 0) return peer;
    if (!trustedProxies.has(hop)) return hop;
  }
  return peer;
}
