import { isIP } from 'node:net';
import type { Exchange } from '../client/exchange.js';
import type { RuleId } from '../protocol/rules.js';
import { excerpt } from '../protocol/excerpt.js';
import { validateReceivedReply, valueAt } from './validate.js';

export interface PrivacyFinding {
  readonly rule: RuleId;
  readonly message: string;
}

type Betrayal = 'message numbers' | 'IP or location details' | 'a contact list' | 'chat subscriptions' | 'personal details';

// Words in a member or header name that betray what F1 forbids a reply to carry
// about a user. Names are split into words (lastIp, unread_count, X-Client-IP)
// so a word is matched whole: 'ip' in lastIp, but not in 'zip' or 'recipient'.
const WORDS: Readonly<Record<Betrayal, ReadonlySet<string>>> = {
  'message numbers': new Set(['count', 'counts', 'counter', 'total', 'totals', 'unread', 'unseen', 'num', 'number', 'numbers', 'tally', 'badge', 'amount', 'quantity']),
  'IP or location details': new Set(['ip', 'ips', 'ipv4', 'ipv6', 'ipaddr', 'ipaddress', 'geo', 'geoip', 'geolocation', 'location', 'locations', 'loc', 'lat', 'latitude', 'lng', 'lon', 'longitude', 'coord', 'coords', 'coordinates', 'gps', 'city', 'country', 'region', 'position', 'whereabouts']),
  'a contact list': new Set(['contact', 'contacts', 'friend', 'friends', 'follower', 'followers', 'following', 'follows', 'directory', 'buddy', 'buddies', 'roster', 'blocklist']),
  'chat subscriptions': new Set(['subscription', 'subscriptions', 'subscribed', 'subscriber', 'subscribers', 'chat', 'chats', 'channel', 'channels', 'room', 'rooms', 'group', 'groups', 'member', 'members', 'membership', 'memberships']),
  'personal details': new Set(['phone', 'mobile', 'telephone', 'email', 'birthday', 'birthdate', 'dob', 'gender', 'surname']),
};
/** Words that, next to an integer, make it a message number: {pending: 3}, {newMsgs: 2}. */
const MESSAGE_WORDS = new Set(['msg', 'msgs', 'message', 'messages', 'mail', 'mails', 'conv', 'convs', 'conversation', 'conversations', 'inbox', 'new', 'pending', 'epost', 'eposts']);
/** Words that make an IP address in a header about the client: X-Real-IP, X-Forwarded-For, X-Remote-Addr. */
const CLIENT_WORDS = new Set(['client', 'remote', 'forwarded', 'real', 'user', 'peer', 'visitor', 'origin', 'source']);

// Headers HTTP itself defines or that say nothing about a user; the scanner reads only the others.
const STANDARD_HEADERS = new Set([
  'date', 'content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'location', 'connection', 'keep-alive',
  'transfer-encoding', 'cache-control', 'expires', 'pragma', 'etag', 'last-modified', 'vary', 'server', 'via', 'age', 'retry-after', 'allow',
  'accept-ranges', 'alt-svc', 'strict-transport-security', 'set-cookie', 'x-content-type-options', 'x-frame-options', 'x-xss-protection',
  'referrer-policy', 'permissions-policy', 'report-to', 'nel', 'server-timing', 'timing-allow-origin', 'upgrade', 'trailer',
]);
const STANDARD_HEADER_PREFIXES = ['access-control-', 'content-security-policy', 'cross-origin-'];

/** Members whose values are identifiers the Hive makes up: an IP or a position has no business in them. */
const IDENTIFIERS = new Set(['session', 'conv', 'msg', 'hive', 'version']);

const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/;
// Two decimal degrees with three decimals or more, apart by white space or by one of , ; / with any white space
// around it: 48.858, 2.294. Written so that no run of spaces or digits is read twice (a linear match, test/hostile/redos.test.ts).
const COORDINATES = /\d\.\d{3,}(?:\s*[,;/]|\s)\s*-?\d{1,3}\.\d{3}/;
const ADDRESS = /^[a-z0-9][a-z0-9._-]{0,63}::[a-z0-9.-]+$/i;

/** The words of a name: lastIp → last, ip; X-Client-IP → x, client, ip; nMsgs → n, msgs. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    // An upper-case run ends before the capital that starts a word: XMLHttp → XML Http. A lookahead, so no run is read twice.
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Whether a text holds an IPv4 or IPv6 address. */
export function holdsIp(text: string): boolean {
  if (IPV4.test(text)) return true;
  return text.split(/[^0-9a-fA-F:.]+/).some((token) => token.split(':').length > 2 && isIP(token.replace(/^\[|\]$/g, '')) === 6);
}

function betrayedByWords(words: readonly string[]): Betrayal | undefined {
  return (Object.keys(WORDS) as Betrayal[]).find((what) => words.some((word) => WORDS[what].has(word)));
}

function betrayedByName(name: string): Betrayal | undefined {
  return betrayedByWords(wordsOf(name));
}

/**
 * What a member outside the schema gives away, from its name, the names inside its value, and the shape of its value.
 * The name is split into words once: the items of an array value are judged under it without splitting it again,
 * so a long name over a long array costs their sum, not their product.
 */
function betrayedByMember(name: string, value: unknown): Betrayal | undefined {
  const words = wordsOf(name);
  return betrayedByWords(words) ?? betrayedByValue(value, words.some((word) => MESSAGE_WORDS.has(word)));
}

/** What a member's value gives away; `countsMessages` when the member's name speaks of messages, so an integer is a count of them. */
function betrayedByValue(value: unknown, countsMessages: boolean): Betrayal | undefined {
  if (Number.isInteger(value) && countsMessages) return 'message numbers';
  if (typeof value === 'string') {
    if (holdsIp(value) || COORDINATES.test(value)) return 'IP or location details';
    return undefined;
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => typeof item === 'string' && ADDRESS.test(item))) return 'a contact list';
    for (const item of value) {
      const inside = betrayedByValue(item, countsMessages);
      if (inside) return inside;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const inside = betrayedByMember(key, item);
      if (inside) return inside;
    }
  }
  return undefined;
}

function pointerPart(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}


/** Identifier members (session key, ids, hive, version), at the top and inside messages, with their paths. */
function identifiers(json: Record<string, unknown>): [string, string][] {
  const found: [string, string][] = [];
  const visit = (object: Record<string, unknown>, path: string) => {
    for (const [key, value] of Object.entries(object)) if (IDENTIFIERS.has(key) && typeof value === 'string') found.push([`${path}/${key}`, value]);
  };
  visit(json, '');
  const messages = [json.msg, ...(Array.isArray(json.msgs) ? json.msgs : [])];
  messages.forEach((message, i) => {
    if (message !== null && typeof message === 'object' && !Array.isArray(message)) visit(message as Record<string, unknown>, i === 0 ? '/msg' : `/msgs/${i - 1}`);
  });
  return found;
}

function isStandardHeader(name: string): boolean {
  return STANDARD_HEADERS.has(name) || STANDARD_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function headerFindings(headers: Readonly<Record<string, string | string[]>>): PrivacyFinding[] {
  const findings: PrivacyFinding[] = [];
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (isStandardHeader(name)) continue;
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : rawValue;
    const byName = betrayedByName(name);
    if (byName) findings.push({ rule: 'F1', message: `reply header ${excerpt(rawName)} looks like ${byName}` });
    else if (holdsIp(value) && wordsOf(name).some((word) => CLIENT_WORDS.has(word))) findings.push({ rule: 'F1', message: `reply header ${excerpt(rawName)} carries a client's IP address` });
  }
  return findings;
}

/**
 * The privacy scanner: every reply the run receives is read for members outside
 * its schema (F3), replies to codes that do not exist (F2), and anything that
 * carries what F1 forbids: such members by their names, values and contents,
 * identifiers that embed an IP address or a position, and reply headers that
 * tell counts, IPs, places or contacts. It runs on every exchange of every check
 * and on every exchange `pame validate` reads.
 */
export function scanForPrivacy(exchange: Exchange): PrivacyFinding[] {
  const reply = exchange.reply;
  if (exchange.code === undefined || !reply) return [];
  const code = exchange.code;
  const findings: PrivacyFinding[] = headerFindings(reply.headers);
  const json = reply.json;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return findings;
  for (const violation of validateReceivedReply(code, reply).violations) {
    // E2 (an unlisted code refused with another error than -1.1) reveals nothing: the envelope's business, not privacy's.
    if (violation.rule !== 'F3' && violation.rule !== 'F2') continue;
    findings.push({ rule: violation.rule, message: `${code} reply ${excerpt(violation.path || '/')}: ${violation.message}` });
    const extra = violation.member;
    if (extra === undefined) continue;
    const pointer = violation.path.endsWith(`/${pointerPart(extra)}`) ? violation.path : `${violation.path}/${pointerPart(extra)}`;
    const what = betrayedByMember(extra, valueAt(json, pointer));
    if (what) findings.push({ rule: 'F1', message: `${code} reply member '${excerpt(extra)}' looks like ${what}` });
  }
  for (const [path, value] of identifiers(json as Record<string, unknown>)) {
    if (holdsIp(value)) findings.push({ rule: 'F1', message: `${code} reply ${path} embeds an IP address: ${JSON.stringify(excerpt(value))}` });
    else if (COORDINATES.test(value)) findings.push({ rule: 'F1', message: `${code} reply ${path} embeds coordinates: ${JSON.stringify(excerpt(value))}` });
  }
  return findings;
}
