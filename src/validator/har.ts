import { recordedExchange, type RawExchange, type Recording, type SourcedExchange } from './recorded.js';
import { requestCodeOf } from './exchange.js';

// The parts of HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) the validator reads.
interface HarHeader { name: string; value: string }
interface HarEntry {
  startedDateTime?: string;
  time?: number;
  request: { method: string; url: string; headers: HarHeader[]; postData?: { text?: string; encoding?: string } };
  response: { status: number; headers: HarHeader[]; content?: { text?: string; encoding?: string; size?: number } };
}

export interface HarOptions {
  /** Validate only entries to this base URL; default: every URL some entry sends a request code to. */
  readonly baseUrl?: string;
}

function isHeaderList(value: unknown): value is HarHeader[] {
  return Array.isArray(value) && value.every((h) => typeof (h as HarHeader)?.name === 'string' && typeof (h as HarHeader)?.value === 'string');
}

/** Why an entry is not one the validator can read, or undefined. */
function entryProblem(entry: unknown): string | undefined {
  const e = entry as Partial<HarEntry> | null;
  if (typeof e?.request?.method !== 'string' || typeof e.request.url !== 'string') return 'no request method and url';
  if (!isHeaderList(e.request.headers)) return 'request headers are not a HAR header list';
  if (typeof e.response?.status !== 'number' || !isHeaderList(e.response.headers)) return 'no response status and headers';
  return undefined;
}

/** HTTP/2 pseudo-headers (:authority…) are not headers of the exchange. */
function headers(list: HarHeader[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { name, value } of list) if (!name.startsWith(':')) (out[name.toLowerCase()] ??= []).push(value);
  return out;
}

function bytesOf(text: string | undefined, encoding: string | undefined): Buffer | undefined {
  if (text === undefined) return undefined;
  return Buffer.from(text, encoding === 'base64' ? 'base64' : 'utf8');
}

/** The base URL an entry was sent to: origin and path, without the query. */
function baseOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return url;
  }
}

function toRaw(entry: HarEntry): { raw: RawExchange; replyUnrecorded: boolean } {
  const { request, response } = entry;
  const body = bytesOf(request.postData?.text, request.postData?.encoding);
  const content = response.content;
  const replyBody = bytesOf(content?.text, content?.encoding);
  // Browsers leave the body out of a HAR unless asked to keep it; such a reply cannot be validated.
  const replyUnrecorded = replyBody === undefined && (content?.size ?? 0) > 0;
  const failed = response.status === 0;
  const raw: RawExchange = {
    method: request.method,
    url: request.url,
    headers: headers(request.headers),
    ...(body ? { body } : {}),
    ...(failed ? { failure: { kind: 'network' as const, message: 'the HAR records no response (status 0)' } } : {}),
    ...(!failed && !replyUnrecorded ? { reply: { status: response.status, headers: headers(response.headers), body: replyBody ?? Buffer.alloc(0) } } : {}),
    startedAt: entry.startedDateTime ?? '',
    durationMs: Math.max(0, entry.time ?? 0),
  };
  return { raw, replyUnrecorded };
}

/**
 * Reads a HAR file, as browsers and proxies export them. A browser's HAR holds
 * all of a page's traffic: only entries to a Hive's base URL are protocol
 * exchanges, that is to `baseUrl` when given, else to any URL that some entry
 * sends a request code (w) to. The others are counted as skipped.
 */
export function readHar(text: string, source: string, options: HarOptions = {}): Recording {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { exchanges: [], problems: [`${source}: not JSON: ${(error as Error).message}`], skipped: 0 };
  }
  const entries = (data as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) return { exchanges: [], problems: [`${source}: not a HAR file (no log.entries)`], skipped: 0 };

  const problems: string[] = [];
  const readable: { index: number; raw: RawExchange; replyUnrecorded: boolean }[] = [];
  entries.forEach((entry, index) => {
    const problem = entryProblem(entry);
    if (problem) problems.push(`${source} entry ${index + 1}: ${problem}`);
    else readable.push({ index, ...toRaw(entry as HarEntry) });
  });

  const bases = options.baseUrl !== undefined
    ? new Set([baseOf(options.baseUrl)])
    : new Set(readable.filter(({ raw }) => requestCodeOf({ method: raw.method.toUpperCase(), url: raw.url, headers: {}, ...(raw.body ? { body: raw.body.toString('utf8') } : {}) }) !== undefined).map(({ raw }) => baseOf(raw.url)));
  const exchanges: SourcedExchange[] = [];
  let skipped = 0;
  for (const { index, raw, replyUnrecorded } of readable) {
    if (!bases.has(baseOf(raw.url))) {
      skipped++;
      continue;
    }
    const where = `${source} entry ${index + 1}`;
    if (replyUnrecorded) problems.push(`${where}: the HAR holds no reply body; only the request is validated`);
    exchanges.push({ source: where, exchange: recordedExchange(raw) });
  }
  return { exchanges, problems, skipped };
}
