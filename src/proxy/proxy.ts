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
  /** Deadline of the Hive's reply. Default 30 s. */
  readonly timeoutMs?: number;
}

export interface ValidatingProxy {
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

// Hop-by-hop headers belong to one connection, never forwarded (RFC 9110 §7.6.1); lengths are set anew.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'host', 'content-length']);

function forwardable(headers: IncomingMessage['headers'] | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  return out;
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
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;
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
    const raw = { method, url, headers: forwardable(req.headers) as Record<string, string | string[]>, ...(body && body.length > 0 ? { body } : {}), ...(sourceOf(req) ? { sourceAddress: sourceOf(req)! } : {}), startedAt };
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end(`pame proxy: request bodies above ${limit} bytes are not forwarded\n`);
      return;
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await undiciRequest(url, {
        method: method as Dispatcher.HttpMethod,
        headers: raw.headers,
        body: body.length > 0 ? body : null,
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      const message = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`pame proxy: the Hive did not answer: ${message}\n`);
      setImmediate(() => record(recordedExchange({ ...raw, failure: { kind: 'network', message }, durationMs: performance.now() - started })));
      return;
    }
    const replyBody = Buffer.from(await response.body.arrayBuffer());
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

  const server: Server = createServer((req, res) => {
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
