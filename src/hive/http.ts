import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESP } from '../protocol/reply-codes.js';
import type { ReplyBody, Parts } from './context.js';
import { partsFromBody, partsFromQuery } from '../protocol/request-parts.js';

/** The only path that is part of the protocol (T1, T12). */
const BASE_PATH = '/';

/**
 * What the HTTP layer makes of a request before the protocol looks at it:
 * the parts of a GET or POST at the base path (T4), or the reply the HTTP
 * layer gives by itself. `unreadBody` tells that some of the request body is
 * still on the connection.
 */
type DecodedRequest =
  | { readonly parts: Parts; readonly unreadBody: boolean }
  | { readonly reply: ReplyBody; readonly status: number; readonly unreadBody: boolean };

/** A reply as it is about to be written; the `reply` tamper seam may rewrite it. */
export interface OutgoingReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ReplyBody;
}

const badRequest = (status: number, unreadBody: boolean): DecodedRequest => ({ reply: { resp: RESP.BAD_REQUEST }, status, unreadBody });

/**
 * How much of an over-limit body is read and thrown away so the client, still
 * writing, gets its -1.1 instead of a reset connection (T11). Nothing of it is
 * kept, so memory stays bounded; past this the connection is simply closed.
 */
const DISCARD_LIMIT = 16 * 1024 * 1024;

interface ReadBody {
  /** The body, or undefined when it was over the limit or the client went away. */
  readonly body: Buffer | undefined;
  /** True when part of the body was never read: the connection must close after the reply. */
  readonly unread: boolean;
}

/** Reads the body up to `limit` bytes; a larger one is discarded up to DISCARD_LIMIT, never stored. */
function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > DISCARD_LIMIT) return Promise.resolve({ body: undefined, unread: true });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: ReadBody): void => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > DISCARD_LIMIT) finish({ body: undefined, unread: true });
      else if (size <= limit) chunks.push(chunk);
    };
    const onEnd = (): void => finish({ body: size > limit ? undefined : Buffer.concat(chunks), unread: false });
    const onClose = (): void => finish({ body: undefined, unread: true });
    req.on('data', onData).on('end', onEnd).on('close', onClose);
  });
}

/** True when the request carries a body on the wire. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Turns an HTTP request into request parts, or into the reply the HTTP layer
 * gives by itself: 404 with -1.1 off the base path, -1.1 for methods other
 * than GET and POST (T3), for parts that do not decode (T4) and for bodies
 * over `maxBodyBytes` (T11).
 */
export async function decodeRequest(req: IncomingMessage, maxBodyBytes: number): Promise<DecodedRequest> {
  const target = req.url ?? '';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (path !== BASE_PATH) return badRequest(404, hasBody(req));
  if (req.method === 'GET') {
    const decoded = partsFromQuery(q < 0 ? '' : target.slice(q + 1));
    return 'parts' in decoded ? { parts: decoded.parts as Parts, unreadBody: hasBody(req) } : badRequest(200, hasBody(req));
  }
  if (req.method !== 'POST') return badRequest(200, hasBody(req));
  const { body, unread } = await readBody(req, maxBodyBytes);
  const decoded = body && partsFromBody(body);
  return decoded && 'parts' in decoded ? { parts: decoded.parts as Parts, unreadBody: false } : badRequest(200, unread);
}

/** The reply every request gets, before the `reply` seam: JSON, status 200 unless the HTTP layer chose another (T6, T7), never a cookie (T8). */
export function outgoing(body: ReplyBody, status = 200): OutgoingReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body,
  };
}

/**
 * Writes a reply. When some of the request body is still unread, the
 * connection is closed after the reply rather than reading what is left.
 */
export function writeReply(res: ServerResponse, reply: OutgoingReply, unreadBody: boolean): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(Buffer.byteLength(text)),
    ...(unreadBody ? { connection: 'close' } : {}),
  });
  // Node leaves the body out by itself when the request was HEAD.
  res.end(text);
}
