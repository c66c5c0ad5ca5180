import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, ProxyAgent, errors, type Dispatcher } from 'undici';
import type { PartsOf, RequestCode } from '../protocol/codes.js';
import type { Exchange, SentRequest } from './exchange.js';
import { Limiter } from './limiter.js';

/** What a Hive behind a gateway needs on every request to it (--header, --ca, --client-cert and --client-key, --proxy). */
export interface Fronting {
  /** Sent with every request; recorded as FRONTING_HEADER_SHOWN, so the values never reach evidence or reports. */
  readonly headers?: Readonly<Record<string, string>>;
  /** PEM certificates of authorities to trust besides the system's. */
  readonly ca?: string;
  /** PEM client certificate and its key, for a Hive that asks for one (mTLS). */
  readonly cert?: string;
  readonly key?: string;
  /** An outbound HTTP(S) proxy every request goes through (CONNECT tunnel). */
  readonly proxy?: string;
}

/** How a --header value appears in the record of a request. */
export const FRONTING_HEADER_SHOWN = '[redacted: --header]';

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
  readonly fronting?: Fronting;
  /** Called with every exchange, for evidence and the privacy scanner. */
  readonly onExchange?: (exchange: Exchange) => void;
  /** The DNS lookup of new connections, when not the system's (the reference Hive refuses internal addresses with it). */
  readonly lookup?: LookupFunction;
}

export interface CallOptions {
  readonly method?: 'GET' | 'POST';
  /** Added as the session part. */
  readonly session?: string;
  readonly localAddress?: string;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Abandons the request when it aborts: the exchange fails as 'cancelled'. */
  readonly signal?: AbortSignal;
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
  /** Abandons the request when it aborts: the exchange fails as 'cancelled'. */
  readonly signal?: AbortSignal;
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

function classify(error: unknown): Failure {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.cause?.message ?? err.message ?? String(error);
  if (err.name === 'AbortError' || err.name === 'TimeoutError' || /TIMEOUT/.test(code)) return { kind: 'timeout', message };
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /certificate/i.test(message)) return { kind: 'tls', message: `${code} ${message}`.trim() + ' (--insecure accepts any certificate, for test Hives only)' };
  return { kind: 'network', message: code ? `${code}: ${message}` : message };
}

type Failure = NonNullable<Exchange['failure']>;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

function onDeadline(handler: ExchangeHandler): void {
  handler.expire();
}

/**
 * One request in flight, as an undici dispatch handler: undici calls it
 * straight from its parser (no body stream, no AbortSignal). It settles the
 * exchange once, with the reply or with the first failure: the deadline, the
 * size cap, or an error from undici. Whatever undici reports after that is
 * ignored.
 */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private status = 0;
  private headers: Record<string, string | string[]> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly started = Date.now();
  private readonly startedAt = new Date(this.started).toISOString();
  /** One timer for connect, headers and body together. */
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly code: string | undefined,
    private readonly request: SentRequest,
    private readonly timeoutMs: number,
    private readonly maxReplyBytes: number,
    private readonly onExchange: ((exchange: Exchange) => void) | undefined,
    private readonly resolve: (exchange: Exchange) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.timer = setTimeout(onDeadline, timeoutMs, this);
  }

  expire(): void {
    this.stop({ kind: 'timeout', message: `no reply within ${this.timeoutMs} ms` });
  }

  /** The caller gave up on the request (its AbortSignal); `why` is the signal's reason when the caller gave one. */
  cancel(why: unknown): void {
    this.stop({ kind: 'cancelled', message: `cancelled by the runner: ${typeof why === 'string' ? why : 'its caller gave up'}` });
  }

  private stop(failure: Failure): void {
    if (this.settled) return;
    this.fail(failure);
    // Before undici has started the request there is nothing to abort yet: onRequestStart does it.
    this.controller?.abort(new Error(failure.message));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new Error('the deadline passed before the request could start'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>): void {
    // Informational replies (1xx) come before the reply proper, which alone is recorded.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.maxReplyBytes) {
      const start = Buffer.concat([...this.chunks, chunk]).subarray(0, 80).toString('utf8');
      this.fail({ kind: 'too-large', message: `the reply is larger than ${this.maxReplyBytes} bytes; the rest was not read; it began ${JSON.stringify(start)}` });
      controller.abort(new Error('the reply is too large'));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const bytes = Buffer.concat(this.chunks, this.size);
    this.settle({ reply: { status: this.status, headers: this.headers, bytes, ...parseReplyBytes(bytes) } });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (!this.settled) this.fail(classify(error));
  }

  fail(failure: Failure): void {
    this.settle({ failure });
  }

  /** Set by the client to stop listening to the caller's AbortSignal once settled. */
  release: (() => void) | undefined;

  private settle(part: Pick<Exchange, 'reply' | 'failure'>): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.release?.();
    const { code, request, startedAt } = this;
    const exchange: Exchange = { ...(code ? { code } : {}), request, ...part, startedAt, durationMs: Date.now() - this.started };
    // An onExchange that throws fails this call, not undici's parser or the timer it runs in.
    try {
      this.onExchange?.(exchange);
      this.resolve(exchange);
    } catch (error) {
      this.reject(error);
    }
  }
}

/**
 * Talks to one Hive. Every request is bounded (deadline, reply size), never
 * follows a redirect, and goes only to the base URL it was made for.
 */
export class HiveClient {
  readonly baseUrl: URL;
  private readonly agents = new Map<string, Dispatcher>();
  private readonly limiter: Limiter;
  private readonly timeoutMs: number;
  private readonly maxReplyBytes: number;
  private readonly origin: string;
  /** The request target of requests without a query, as undici derives it from the base URL. */
  private readonly basePath: string;
  /** The base URL, on which each raw query is set in turn: no request parses the base URL again. */
  private readonly queryTarget: URL;

  constructor(baseUrl: string | URL, private readonly options: ClientOptions = {}) {
    this.baseUrl = new URL(baseUrl);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    this.limiter = new Limiter(options.concurrency ?? 32, options.rate);
    this.origin = this.baseUrl.origin;
    this.basePath = this.baseUrl.pathname + this.baseUrl.search;
    this.queryTarget = new URL(this.baseUrl);
  }

  /** Sends a protocol request: `w` is the code, `session` joins the parts when given (T4). */
  call<C extends RequestCode>(code: C, parts: PartsOf<C>, options?: CallOptions): Promise<Exchange>;
  call(code: string, parts: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<Exchange>;
  call(code: string, parts: Readonly<Record<string, unknown>>, options: CallOptions = {}): Promise<Exchange> {
    const all: Record<string, unknown> = { w: code, ...parts };
    if (options.session !== undefined) all.session = options.session;
    const { headers, localAddress, timeoutMs, signal } = options;
    return options.method === 'GET'
      ? this.send({ code, method: 'GET', query: encodeQuery(all), headers, localAddress, timeoutMs, signal })
      : this.send({ code, method: options.method ?? 'POST', body: JSON.stringify(all), headers: { 'content-type': 'application/json', ...headers }, localAddress, timeoutMs, signal });
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

  private agentFor(localAddress: string | undefined): Dispatcher {
    const { ca, cert, key, proxy } = this.options.fronting ?? {};
    // Through a proxy every connection starts at the proxy: there is no source address to choose.
    const slot = proxy ? 'proxy' : (localAddress ?? '');
    let agent = this.agents.get(slot);
    if (!agent) {
      const tls = {
        rejectUnauthorized: !this.options.insecure,
        // A ca option replaces Node's trust store: the system's authorities are kept beside the given ones.
        ...(ca ? { ca: [...rootCertificates, ca] } : {}),
        ...(cert && key ? { cert, key } : {}),
      };
      const pool = { keepAliveTimeout: 4_000, connections: 64 };
      agent = proxy
        ? new ProxyAgent({ uri: proxy, requestTls: { ...tls, timeout: this.timeoutMs }, ...pool })
        : new Agent({ ...(localAddress ? { localAddress } : {}), connect: { ...tls, timeout: this.timeoutMs, ...(this.options.lookup ? { lookup: this.options.lookup } : {}) }, ...pool });
      this.agents.set(slot, agent);
    }
    return agent;
  }

  private describe(raw: RawRequest, url: string): SentRequest {
    const fronting = Object.fromEntries(Object.keys(this.options.fronting?.headers ?? {}).map((name) => [name, FRONTING_HEADER_SHOWN]));
    const request: Writable<SentRequest> = { method: raw.method, url, headers: { ...raw.headers, ...fronting } };
    if (raw.localAddress) request.localAddress = raw.localAddress;
    if (typeof raw.body === 'string') request.body = raw.body;
    else if (raw.body !== undefined) {
      try {
        request.body = utf8.decode(raw.body);
      } catch {
        request.bodyBase64 = raw.body.toString('base64');
      }
    }
    return request;
  }

  private perform(raw: RawRequest): Promise<Exchange> {
    let url = this.baseUrl.href;
    let path = this.basePath;
    if (raw.query !== undefined) {
      // The URL API percent-encodes what a URL may not hold: the Hive gets, and the record shows, the same normalised query.
      this.queryTarget.search = raw.query;
      url = this.queryTarget.href;
      path = this.queryTarget.pathname + this.queryTarget.search;
    }
    const request = this.describe(raw, url);
    const timeoutMs = raw.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      const handler = new ExchangeHandler(raw.code, request, timeoutMs, this.maxReplyBytes, this.options.onExchange, resolve, reject);
      const { signal } = raw;
      if (signal?.aborted) return handler.cancel(signal.reason);
      if (signal) {
        const cancel = (): void => handler.cancel(signal.reason);
        signal.addEventListener('abort', cancel, { once: true });
        handler.release = () => signal.removeEventListener('abort', cancel);
      }
      // undici's request() refuses CONNECT, which would hand the socket over; dispatch() would not.
      if (raw.method === 'CONNECT') return handler.fail(classify(new errors.InvalidArgumentError('invalid method')));
      this.agentFor(raw.localAddress).dispatch({
        origin: this.origin,
        path,
        // What undici's request() sends when no method is given.
        method: raw.method || (raw.body ? 'PUT' : 'GET'),
        headers: this.options.fronting?.headers ? { ...raw.headers, ...this.options.fronting.headers } : raw.headers,
        body: raw.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      }, handler);
    });
  }
}
