import type { IncomingMessage } from 'node:http';

import { partsFromBody, partsFromQuery, queryOf, type PartsDecoding } from '../protocol/request-parts.js';

/** The parts of a request to a peer Hive (T4), read as the reference Hive reads them, or why they could not be. */
export function decodeParts(req: IncomingMessage, body: Buffer): PartsDecoding {
  if (req.method === 'GET') return partsFromQuery(queryOf(req.url ?? ''));
  if (req.method === 'POST') return partsFromBody(body);
  return { undecodable: `${req.method ?? '(no method)'} is neither GET nor POST (T3)` };
}
/**
 * Reads the body up to `limit` bytes. Undefined when it is larger (a declared
 * length over the limit is refused unread; a longer chunked body ends the
 * connection) or the connection ended first.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) return undefined;
      chunks.push(chunk as Buffer);
    }
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}
