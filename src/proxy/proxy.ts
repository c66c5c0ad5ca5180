import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { Exchange } from '../client/exchange.js';
import { prepareValidator, validateExchange, type ExchangeFinding } from '../validator/exchange.js';
import { formatExchangeLogLine } from '../validator/jsonl.js';
import { recordedExchange } from '../validator/recorded.js';

export interface ProxyOptions {
  /** The Hive's base URL: every request is forwarded there, its path appended to the base path. */
  readonly hive: string;
  /** A JSONL exchange log to append every exchange to (replayable with `pame validate`). */
  readonly log?: string;
  /** Called after each exchange has been answered, with what the validator found in it. */
  readonly onExchange?: (exchange: Exchange, findings: readonly ExchangeFinding[]) => void;
  /** Requests larger than this are refused with 413 rather than held in memory. Default 16 MiB. */
  readonly maxBodyBytes?: number;
  /** Deadline of a whole exchange with the Hive, its reply body read to the end. Default 30 s. */
  readonly timeoutMs?: number;
  /** Replies of the Hive larger than this are not forwarded (502) nor held. Default 16 MiB. */
  readonly maxReplyBytes?: number;
  /** Client connections held at once; more are refused. Default 256. */
  readonly maxConnections?: number;
}

export const PROXY_DEFAULTS = { maxBodyBytes: 16 * 1024 * 1024, maxReplyBytes: 16 * 1024 * 1024, timeoutMs: 30_000, maxConnections: 256 } as const;

export interface ValidatingProxy {
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

// Hop-by-hop headers belong to one connection, never forwarded (RFC 9110 §7.6.1); lengths are set anew.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'host', 'content-length']);

/** The headers that go on: neither hop-by-hop nor named by the Connection header as belonging to this hop. */
function forwardable(headers: IncomingMessage['headers'] | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const connection = [headers.connection ?? []].flat().join(',').split(',').map((name) => name.trim().toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value !== undefined && !HOP_BY_HOP.has(lower) && !connection.includes(lower)) out[name] = value;
  }
  return out;
}

/** The request headers for the Hive: forwardable ones, with the client's address appended to X-Forwarded-For (never the client's claim alone). */
function upstreamHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers = forwardable(req.headers);
  const claimed = [headers['x-forwarded-for'] ?? []].flat().join(', ');
  const source = sourceOf(req) ?? 'unknown';
  headers['x-forwarded-for'] = claimed ? `${claimed}, ${source}` : source;
  return headers;
}

/** Reads a reply body up to `limit` bytes; undefined, with the rest left unread, when it is larger. */
async function readReply(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** Reads a request body whole; undefined when it passes `limit`. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.once('error', reject);
  });
}

/** The Hive URL a request path goes to: the path joined to the base path, the query as sent. */
function upstreamUrl(base: URL, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : target;
  return base.origin + base.pathname + path;
}

function sourceOf(req: IncomingMessage): string | undefined {
  const address = req.socket.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * The validating reverse proxy of `pame proxy`: a real client is pointed at
 * it, and every exchange is forwarded to the Hive unchanged (hop-by-hop
 * headers aside), answered, and only then validated and logged, so the check
 * costs the client nothing.
 */
export function createValidatingProxy(options: ProxyOptions): ValidatingProxy {
  const base = new URL(options.hive);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 128 });
  const limit = options.maxBodyBytes ?? PROXY_DEFAULTS.maxBodyBytes;
  const replyLimit = options.maxReplyBytes ?? PROXY_DEFAULTS.maxReplyBytes;
  const timeoutMs = options.timeoutMs ?? PROXY_DEFAULTS.timeoutMs;
  let log: WriteStream | undefined;

  const record = (exchange: Exchange) => {
    log?.write(formatExchangeLogLine(exchange));
    options.onExchange?.(exchange, validateExchange(exchange));
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const method = req.method ?? 'GET';
    const url = upstreamUrl(base, req.url ?? '/');
    const body = await readBody(req, limit);
    const raw = { method, url, headers: upstreamHeaders(req), ...(body && body.length > 0 ? { body } : {}), ...(sourceOf(req) ? { sourceAddress: sourceOf(req)! } : {}), startedAt };
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end(`pame proxy: request bodies above ${limit} bytes are not forwarded\n`);
      return;
    }
    const fail = (kind: 'network' | 'timeout' | 'too-large', message: string) => {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`pame proxy: ${message}\n`);
      setImmediate(() => record(recordedExchange({ ...raw, failure: { kind, message }, durationMs: performance.now() - started })));
    };
    // One deadline for the whole exchange: connecting, the reply's headers and every byte of its body.
    const deadline = AbortSignal.timeout(timeoutMs);
    let response: Dispatcher.ResponseData;
    let replyBody: Buffer | undefined;
    try {
      response = await undiciRequest(url, { method: method as Dispatcher.HttpMethod, headers: raw.headers, body: body.length > 0 ? body : null, dispatcher: agent, signal: deadline });
      replyBody = await readReply(response.body, replyLimit);
    } catch (error) {
      if (deadline.aborted) return fail('timeout', `the Hive did not answer within ${timeoutMs} ms`);
      return fail('network', `the Hive did not answer: ${(error as { cause?: Error }).cause?.message ?? (error as Error).message}`);
    }
    if (replyBody === undefined) return fail('too-large', `the Hive's reply is larger than ${replyLimit} bytes; it was not forwarded`);
    const headers = forwardable(response.headers);
    res.writeHead(response.statusCode, { ...headers, 'content-length': String(replyBody.length) });
    res.end(method === 'HEAD' ? undefined : replyBody);
    const durationMs = performance.now() - started;
    setImmediate(() => record(recordedExchange({ ...raw, reply: { status: response.statusCode, headers: response.headers as Record<string, string | string[]>, body: replyBody }, durationMs })));
  };

  let closing: Promise<void> | undefined;
  const shutDown = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await agent.close();
    // Exchanges answered just before closing are recorded on the next turn of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    if (log) await new Promise<void>((resolve) => log!.end(resolve));
  };

  const server: Server = createServer({ requestTimeout: timeoutMs }, (req, res) => {
    serve(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`pame proxy: ${error.message}\n`);
      else res.destroy();
    });
  });

  return {
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        prepareValidator();
        if (options.log) log = createWriteStream(options.log, { flags: 'a' });
        server.maxConnections = options.maxConnections ?? PROXY_DEFAULTS.maxConnections;
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          resolve({ url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`, port: bound });
        });
      }),
    close: () => (closing ??= shutDown()),
  };
}
