// The targets of a scan: read from --targets (files of base URLs, or URLs
// given directly), each with the per-target options its line may carry.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseAccount, type RunOptions } from '../runner/options.js';

/** The options a target's line may set for that target alone; the rest are the scan's. */
export type TargetOptions = Partial<Pick<RunOptions, 'domain' | 'users' | 'only' | 'skip' | 'sessionIdleMs' | 'insecure' | 'timeoutMs' | 'concurrency' | 'rate'>>;

export interface Target {
  /** The base URL, normalised (lower-case host, a path ending in '/'): one Hive, however it was written. */
  readonly url: string;
  readonly options: TargetOptions;
}

/** A target list that cannot be used; the scan reports it before starting (exit 3). */
export class TargetError extends Error {}

const NUMERIC = { 'session-idle-ms': 'sessionIdleMs', 'timeout-ms': 'timeoutMs', concurrency: 'concurrency', rate: 'rate' } as const;

export function normaliseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError(`${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetError(`${JSON.stringify(text)} is not an http or https URL`);
  if (url.search || url.hash || url.username || url.password) throw new TargetError(`${JSON.stringify(text)}: a base URL carries no query, fragment or credentials`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
}

/** Reads `URL [--domain D] [--user N:P]… [--only ID]… [--skip ID]… [--session-idle-ms N] [--timeout-ms N] [--concurrency N] [--rate N] [--insecure]`. */
export function parseTargetLine(line: string, where: string): Target {
  const [first, ...words] = line.trim().split(/\s+/);
  const options: { -readonly [K in keyof TargetOptions]: TargetOptions[K] } = {};
  const list = (key: 'only' | 'skip', value: string) => (options[key] = [...(options[key] ?? []), value]);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    const name = word.startsWith('--') ? word.slice(2, eq < 0 ? undefined : eq) : undefined;
    if (name === 'insecure' && eq < 0) {
      options.insecure = true;
      continue;
    }
    const value = eq >= 0 ? word.slice(eq + 1) : words[++i];
    if (name === undefined || value === undefined) throw new TargetError(`${where}: expected --option value after the URL, not ${JSON.stringify(word)}`);
    if (name === 'domain') options.domain = value.toLowerCase();
    else if (name === 'user') options.users = [...(options.users ?? []), parseAccount(value)];
    else if (name === 'only' || name === 'skip') list(name, value);
    else if (name in NUMERIC) {
      const number = Number(value);
      if (!Number.isFinite(number) || number <= 0) throw new TargetError(`${where}: --${name} takes a positive number, not ${JSON.stringify(value)}`);
      options[NUMERIC[name as keyof typeof NUMERIC]] = number;
    } else throw new TargetError(`${where}: --${name} cannot be set per target (domain, user, only, skip, session-idle-ms, timeout-ms, concurrency, rate, insecure can)`);
  }
  return { url: normaliseUrl(first!), options };
}

/** The targets of `--targets`: each value a URL, or a file of one target a line (`#` starts a comment). */
export async function readTargets(values: readonly string[]): Promise<Target[]> {
  const targets: Target[] = [];
  for (const value of values) {
    if (/^https?:\/\//i.test(value)) {
      targets.push(parseTargetLine(value, value));
      continue;
    }
    const text = await readFile(value, 'utf8').catch((error: Error) => Promise.reject(new TargetError(`--targets ${value}: ${error.message}`)));
    text.split('\n').forEach((raw, index) => {
      const comment = raw.indexOf('#');
      const line = (comment < 0 ? raw : raw.slice(0, comment)).trim();
      if (line) targets.push(parseTargetLine(line, `${value}:${index + 1}`));
    });
  }
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.url)) throw new TargetError(`${target.url} is listed twice`);
    seen.add(target.url);
  }
  if (targets.length === 0) throw new TargetError('--targets names no target');
  return targets;
}

/** The SHA-256 of a target's URL, in hex: its report directory's suffix and its place in the shard order. */
export function urlHash(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

/** Text without the dots, dashes and underscores at its ends (a loop, not a pattern: linear whatever the text). */
function trimPunctuation(text: string): string {
  const punctuation = (char: string | undefined): boolean => char === '.' || char === '_' || char === '-';
  let start = 0;
  let end = text.length;
  while (start < end && punctuation(text[start])) start++;
  while (end > start && punctuation(text[end - 1])) end--;
  return text.slice(start, end);
}

/**
 * The report directory of a target: its domain (or host) reduced to lower-case
 * letters, digits, dots and dashes, then a hash of the URL, so that no text a
 * Hive sent names a file and two targets never share a directory.
 */
export function reportDirName(url: string, domain: string | undefined): string {
  const readable = trimPunctuation((domain ?? new URL(url).hostname).toLowerCase().replace(/[^a-z0-9.-]+/g, '_')).slice(0, 60);
  return `${readable || 'hive'}-${urlHash(url).slice(0, 10)}`;
}
