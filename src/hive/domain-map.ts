import { parseAddress, systemAddress } from '../protocol/address.js';

/** Domain → base URL, as an operator maps domains to a private network (T2). */
export type DomainMap = ReadonlyMap<string, string>;

/** A domain written as a DNS host name (A1), lower-cased; undefined when it is not one. */
export function normalizeDomain(text: string): string | undefined {
  // The address grammar of schemas/ is the one definition of a domain.
  return parseAddress(systemAddress(text), '')?.domain;
}

function baseUrlOf(text: string, domain: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`domain map: ${domain}: '${text}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`domain map: ${domain}: the base URL must be http or https`);
  if (url.search || url.hash || url.username || url.password) throw new Error(`domain map: ${domain}: the base URL may not carry a query, fragment or credentials`);
  return url.href;
}

function addEntry(map: Map<string, string>, writtenDomain: string, writtenUrl: string): void {
  const domain = normalizeDomain(writtenDomain.trim());
  if (!domain) throw new Error(`domain map: '${writtenDomain}' is not a domain name`);
  if (map.has(domain)) throw new Error(`domain map: ${domain} is mapped twice`);
  map.set(domain, baseUrlOf(writtenUrl.trim(), domain));
}

/**
 * Reads a domain map written `d1=url1,d2=url2` (the form of `--resolve` and
 * PAME_RESOLVE): `alpha.pame.test=http://127.0.0.1:47100/alpha/`. Throws an
 * Error naming the bad entry.
 */
export function parseDomainMap(text: string): DomainMap {
  const map = new Map<string, string>();
  for (const entry of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new Error(`domain map: '${entry}' is not domain=url`);
    addEntry(map, entry.slice(0, eq), entry.slice(eq + 1));
  }
  return map;
}

/** A domain map in any of the forms HiveOptions.resolve takes, each entry checked as parseDomainMap does. */
export function toDomainMap(given: string | DomainMap | Readonly<Record<string, string>> = {}): DomainMap {
  if (typeof given === 'string') return parseDomainMap(given);
  const map = new Map<string, string>();
  for (const [domain, url] of given instanceof Map ? given.entries() : Object.entries(given)) addEntry(map, domain, url);
  return map;
}

/** The base URL of a domain: the mapped one, else https://epost.<domain>/ (T2). */
export function resolveBaseUrl(map: DomainMap, domain: string): string {
  return map.get(domain) ?? `https://epost.${domain}/`;
}
