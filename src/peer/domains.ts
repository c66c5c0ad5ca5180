import { normalizeDomain } from '../hive/domain-map.js';
import { systemAddress } from '../protocol/address.js';

/** The three peer Hives the runner plays, each on a path of the one peer listener (§10). */
export const PEER_NAMES = ['alpha', 'beta', 'gamma'] as const;
export type PeerName = (typeof PEER_NAMES)[number];
/** Which domain each peer Hive serves. */
export type PeerDomains = Readonly<Record<PeerName, string>>;

/** §10: domains under pame.test, which the Hive under test reaches through the domain map it was started with. */
export const DEFAULT_PEER_DOMAINS: PeerDomains = { alpha: 'alpha.pame.test', beta: 'beta.pame.test', gamma: 'gamma.pame.test' };

/** A domain neither the peer server nor any resolver serves (RFC 6761 reserves .invalid): what is sent there fails at once. */
export const UNREACHABLE_DOMAIN = 'pame-conformance.invalid';

export interface PeerSettings {
  /** Where the peer server listens. */
  readonly host: string;
  readonly port: number;
  /** The URL the Hive under test reaches the peer server at (defaults to http://host:port/). */
  readonly publicUrl?: string;
  /** The domains the peer Hives serve (--peer-domains); absent: alpha, beta and gamma.pame.test. */
  readonly domains?: PeerDomains;
}

export const DEFAULT_PEER_HOST = '127.0.0.1';
export const DEFAULT_PEER_PORT = 47100;

/**
 * Reads --peer-domains a.example,b.example,c.example (or the list a config file
 * gives): three distinct DNS names the network owns, played as alpha, beta and
 * gamma. Throws naming what is wrong.
 */
export function parsePeerDomains(given: string | readonly string[]): PeerDomains {
  const written = (typeof given === 'string' ? given.split(',') : given).map((item) => item.trim()).filter(Boolean);
  if (written.length !== PEER_NAMES.length) throw new Error(`"peerDomains" takes ${PEER_NAMES.length} domains, comma-separated, not ${written.length}`);
  const domains = written.map((item) => {
    const domain = normalizeDomain(item);
    if (!domain || !domain.includes('.')) throw new Error(`"peerDomains": ${JSON.stringify(item)} is not a DNS name of two or more labels`);
    return domain;
  });
  if (new Set(domains).size !== domains.length) throw new Error(`"peerDomains": ${domains.join(', ')} are not three distinct names`);
  return { alpha: domains[0]!, beta: domains[1]!, gamma: domains[2]! };
}

/**
 * The peer domains of the run this module serves. A vitest worker serves one
 * run, whose settings name them (createEnvironment sets them before any check
 * runs), so the checks can name a peer Hive's domain without being handed it.
 */
let runDomains: PeerDomains = DEFAULT_PEER_DOMAINS;

export function usePeerDomains(domains: PeerDomains | undefined): void {
  runDomains = domains ?? DEFAULT_PEER_DOMAINS;
}

/** The peer Hive's domain in this run. */
export function peerDomain(name: PeerName): string {
  return runDomains[name];
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
  const domains = peer.domains ?? DEFAULT_PEER_DOMAINS;
  return PEER_NAMES.map((name) => `${domains[name]}=${peerHiveUrl(peer, name)}`).join(',');
}
