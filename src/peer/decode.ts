import type { IncomingMessage } from 'node:http';

/** The parts of a request to a peer Hive (T4), or why they could not be read. */
export type DecodedParts = { readonly parts: Readonly<Record<string, unknown>> } | { readonly undecodable: string };

/** GET: every part a query parameter holding JSON text (T4). */
function partsFromQuery(query: string): DecodedParts {
  const parts: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    if (Object.hasOwn(parts, name)) return { undecodable: `the part ${name} is given twice` };
    try {
      parts[name] = JSON.parse(value) as unknown;
    } catch {
      return { undecodable: `the part ${name} is not JSON text: ${JSON.stringify(value.slice(0, 80))}` };
    }
  }
  return { parts };
}

/** POST: the body is one JSON object in UTF-8 (T4). */
function partsFromBody(body: Buffer): DecodedParts {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { undecodable: 'the body is not UTF-8 JSON text' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { undecodable: 'the body is not a JSON object' };
  return { parts: value as Record<string, unknown> };
}

export function decodeParts(req: IncomingMessage, body: Buffer): DecodedParts {
  const target = req.url ?? '';
  const q = target.indexOf('?');
  if (req.method === 'GET') return partsFromQuery(q < 0 ? '' : target.slice(q + 1));
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
