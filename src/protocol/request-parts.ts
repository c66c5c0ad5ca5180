import { parseRequestJson } from './json-text.js';

/**
 * The parts of a request (T4), or why they do not decode. The one decoder of
 * request parts: the reference Hive, the runner's peer server and the
 * validator all read requests through it, so they cannot disagree.
 */
export type PartsDecoding = { readonly parts: Readonly<Record<string, unknown>> } | { readonly undecodable: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A query parameter name or value as a Hive reads it (T4): decodeURIComponent that also reads '+' as a space
 * (HTML form encoding) and gives undefined for bad %-escapes or bytes that are not UTF-8.
 */
export function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** The query of a request target or URL: after '?', before any '#'. */
export function queryOf(target: string): string {
  const hash = target.indexOf('#');
  const withoutFragment = hash < 0 ? target : target.slice(0, hash);
  const q = withoutFragment.indexOf('?');
  return q < 0 ? '' : withoutFragment.slice(q + 1);
}

/** GET: every part a query parameter holding JSON text; a part given twice or not JSON makes the request bad (T4). */
export function partsFromQuery(query: string): PartsDecoding {
  const parts = new Map<string, unknown>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? undefined : decodeComponent(pair.slice(eq + 1));
    if (name === undefined) return { undecodable: `the query parameter name ${JSON.stringify(pair.slice(0, 60))} is not valid percent-encoded UTF-8` };
    if (parts.has(name)) return { undecodable: `the part '${name}' is given twice` };
    if (value === undefined) return { undecodable: `the part '${name}' has no value that decodes` };
    const parsed = parseRequestJson(value);
    if (!parsed) return { undecodable: `the part '${name}' is not JSON text: ${JSON.stringify(value.slice(0, 60))} (a string is written with quotes: %22…%22)` };
    parts.set(name, parsed.value);
  }
  // fromEntries defines own properties, so a part named __proto__ stays an ordinary part.
  return { parts: Object.fromEntries(parts) };
}

/** POST: the body is one JSON object in UTF-8, whatever Content-Type says (T4). */
export function partsFromBody(body: string | Uint8Array): PartsDecoding {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      return { undecodable: 'the POST body is not valid UTF-8' };
    }
  }
  const parsed = parseRequestJson(text);
  if (!parsed) return { undecodable: text ? 'the POST body is not JSON text (or repeats a member name)' : 'the POST body is empty' };
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { undecodable: 'the POST body is not a JSON object' };
  // JSON.parse makes "__proto__" an own member, never the prototype.
  return { parts: value as Record<string, unknown> };
}
