import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { PartsOf, RequestCode } from '../protocol/codes.js';
import type { Exchange, FailureKind, ReceivedReply, SentRequest } from './exchange.js';
import { Limiter } from './limiter.js';

export interface ClientOptions {
  /** Per-request deadline (headers and body together). */
  readonly timeoutMs?: number;
  /** Replies larger than this fail with 'too-large'; the rest is never read. */
  readonly maxReplyBytes?: number;
  readonly concurrency?: number;
  /** Request starts per second, when set. */
  readonly rate?: number;
  /** Accept any TLS certificate (for test Hives); the report says so. */
  readonly insecure?: boolean;
  /** Called with every exchange, for evidence and the privacy scanner. */
  readonly onExchange?: (exchange: Exchange) => void;
}

export interface CallOptions {
  readonly method?: 'GET' | 'POST';
  /** Added as the session part. */
  readonly session?: string;
  readonly localAddress?: string;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request written by hand, for checks that send what the protocol does not allow. */
export interface RawRequest {
  readonly method: string;
  /** Appended to the base URL as is: '?w=%22Epost_ping%22'. */
  readonly query?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly localAddress?: string;
  readonly timeoutMs?: number;
  readonly code?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_REPLY_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** GET form of a request (T4): every part a query parameter holding JSON text. */
export function encodeQuery(parts: Readonly<Record<string, unknown>>): string {
  return '?' + Object.entries(parts)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(JSON.stringify(value))}`)
    .join('&');
}

/**
 * Replies nested deeper than this are not parsed. JSON.parse copes with any
 * depth, but what reads the value after it (schema validation, the privacy
 * scanner, structured clone, JSON.stringify) recurses and would overflow the
 * stack; a protocol reply nests four levels at most.
 */
export const MAX_REPLY_DEPTH = 100;

/** Whether JSON text opens more than `limit` arrays or objects inside one another (strings skipped). */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export function parseReplyBytes(bytes: Buffer): { json?: unknown; parseError?: string } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { parseError: 'the reply is not valid UTF-8' };
  }
  if (nestsDeeperThan(text, MAX_REPLY_DEPTH)) return { parseError: `the reply nests deeper than ${MAX_REPLY_DEPTH} levels; it was not parsed` };
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (error) {
    return { parseError: `the reply is not JSON: ${(error as Error).message}` };
  }
}

function classify(error: unknown): { kind: FailureKind; message: string } {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.cause?.message ?? err.message ?? String(error);
  if (err.name === 'AbortError' || err.name === 'TimeoutError' || /TIMEOUT/.test(code)) return { kind: 'timeout', message };
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /certificate/i.test(message)) return { kind: 'tls', message: `${code} ${message}`.trim() + ' (--insecure accepts any certificate, for test Hives only)' };
  return { kind: 'network', message: code ? `${code}: ${message}` : message };
}

/**
 * Talks to one Hive. Every request is bounded (deadline, reply size), never
 * follows a redirect, and goes only to the base URL it was made for.
 */
export class HiveClient {
  readonly baseUrl: URL;
  private readonly agents = new Map<string, Agent>();
  private readonly limiter: Limiter;
  private readonly timeoutMs: number;
  private readonly maxReplyBytes: number;

  constructor(baseUrl: string | URL, private readonly options: ClientOptions = {}) {
    this.baseUrl = new URL(baseUrl);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    this.limiter = new Limiter(options.concurrency ?? 32, options.rate);
  }

  /** Sends a protocol request: `w` is the code, `session` joins the parts when given (T4). */
  call<C extends RequestCode>(code: C, parts: PartsOf<C>, options?: CallOptions): Promise<Exchange>;
  call(code: string, parts: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<Exchange>;
  call(code: string, parts: Readonly<Record<string, unknown>>, options: CallOptions = {}): Promise<Exchange> {
    const all = { w: code, ...parts, ...(options.session !== undefined ? { session: options.session } : {}) };
    const method = options.method ?? 'POST';
    const common = { code, headers: options.headers, localAddress: options.localAddress, timeoutMs: options.timeoutMs };
    return method === 'GET'
      ? this.send({ ...common, method, query: encodeQuery(all) })
      : this.send({ ...common, method, body: JSON.stringify(all), headers: { 'content-type': 'application/json', ...options.headers } });
  }

  /** Sends a request exactly as written. Never throws: a failure is part of the exchange. */
  send(raw: RawRequest): Promise<Exchange> {
    return this.limiter.run(() => this.perform(raw));
  }

  /**
   * Ends every connection at once. Requests still in flight belong to checks
   * that are already over (cut by their budget or the run's deadline), so they
   * are aborted rather than awaited: closing never waits on a slow Hive.
   */
  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.destroy().catch(() => undefined)));
    this.agents.clear();
  }

  private agentFor(localAddress: string | undefined): Agent {
    const key = localAddress ?? '';
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        ...(localAddress ? { localAddress } : {}),
        connect: { rejectUnauthorized: !this.options.insecure, timeout: this.timeoutMs },
        keepAliveTimeout: 4_000,
        connections: 64,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  private describe(raw: RawRequest, url: string): SentRequest {
    const headers = { ...raw.headers };
    const base = { method: raw.method, url, headers, ...(raw.localAddress ? { localAddress: raw.localAddress } : {}) };
    if (raw.body === undefined) return base;
    if (typeof raw.body === 'string') return { ...base, body: raw.body };
    try {
      return { ...base, body: utf8.decode(raw.body) };
    } catch {
      return { ...base, bodyBase64: raw.body.toString('base64') };
    }
  }

  private async perform(raw: RawRequest): Promise<Exchange> {
    const url = new URL(this.baseUrl);
    if (raw.query !== undefined) url.search = raw.query;
    const request = this.describe(raw, url.toString());
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const timeoutMs = raw.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`no reply within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const finish = (part: Pick<Exchange, 'reply' | 'failure'>): Exchange => {
      const exchange: Exchange = { ...(raw.code ? { code: raw.code } : {}), request, ...part, startedAt, durationMs: Date.now() - started };
      this.options.onExchange?.(exchange);
      return exchange;
    };
    try {
      const response: Dispatcher.ResponseData = await undiciRequest(url, {
        method: raw.method as Dispatcher.HttpMethod,
        headers: raw.headers as Record<string, string> | undefined,
        body: raw.body,
        dispatcher: this.agentFor(raw.localAddress),
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxReplyBytes) {
          response.body.destroy();
          const start = (chunks[0] ?? (chunk as Buffer)).subarray(0, 80).toString('utf8');
          return finish({ failure: { kind: 'too-large', message: `the reply is larger than ${this.maxReplyBytes} bytes; the rest was not read; it began ${JSON.stringify(start)}` } });
        }
        chunks.push(chunk as Buffer);
      }
      const bytes = Buffer.concat(chunks);
      const reply: ReceivedReply = { status: response.statusCode, headers: response.headers as Record<string, string | string[]>, bytes, ...parseReplyBytes(bytes) };
      return finish({ reply });
    } catch (error) {
      const failure = controller.signal.aborted ? { kind: 'timeout' as const, message: `no reply within ${timeoutMs} ms` } : classify(error);
      return finish({ failure });
    } finally {
      clearTimeout(timer);
    }
  }
}
