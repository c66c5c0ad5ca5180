import { systemAddress } from '../protocol/address.js';

/** The peer Hives the runner plays, each on a path of the one peer listener (§10: domains under pame.test). */
export const PEER_HIVES = [
  { name: 'alpha', domain: 'alpha.pame.test' },
  { name: 'beta', domain: 'beta.pame.test' },
  { name: 'gamma', domain: 'gamma.pame.test' },
] as const;
export type PeerName = (typeof PEER_HIVES)[number]['name'];

/** A domain neither the peer server nor any resolver serves (RFC 6761 reserves .invalid): what is sent there fails at once. */
export const UNREACHABLE_DOMAIN = 'pame-conformance.invalid';

export interface PeerSettings {
  /** Where the peer server listens. */
  readonly host: string;
  readonly port: number;
  /** The URL the Hive under test reaches the peer server at (defaults to http://host:port/). */
  readonly publicUrl?: string;
}

export const DEFAULT_PEER_HOST = '127.0.0.1';
export const DEFAULT_PEER_PORT = 47100;

export function peerDomain(name: PeerName): string {
  return PEER_HIVES.find((peer) => peer.name === name)!.domain;
}

/** psychocat::<peer domain>: the identity a peer Hive's requests carry (A3). */
export function peerSystemAddress(name: PeerName): string {
  return systemAddress(peerDomain(name));
}

/** The URL the Hive under test reaches the peer listener at, ending in '/'. */
export function peerBaseUrl(peer: PeerSettings): string {
  const url = peer.publicUrl ?? `http://${peer.host.includes(':') ? `[${peer.host}]` : peer.host}:${peer.port}/`;
  return url.endsWith('/') ? url : url + '/';
}

/** The base URL of one peer Hive, as the Hive under test must resolve its domain (T2). */
export function peerHiveUrl(peer: PeerSettings, name: PeerName): string {
  return `${peerBaseUrl(peer)}${name}/`;
}

/** The domain map the Hive under test needs, in the --resolve form the reference Hive takes (T2). */
export function peerMap(peer: PeerSettings): string {
  return PEER_HIVES.map(({ name, domain }) => `${domain}=${peerHiveUrl(peer, name)}`).join(',');
}
