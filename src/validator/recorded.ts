import { parseReplyBytes } from '../client/client.js';
import type { Exchange, FailureKind, SentRequest } from '../client/exchange.js';
import { requestCodeOf } from './exchange.js';

/** An exchange as a recording holds it: raw bytes, headers in any letter case. */
export interface RawExchange {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: Buffer;
  /** The address the request came from, when the recording knows it. */
  readonly sourceAddress?: string;
  readonly reply?: { readonly status: number; readonly headers: Readonly<Record<string, string | readonly string[]>>; readonly body: Buffer };
  readonly failure?: { readonly kind: FailureKind; readonly message: string };
  readonly startedAt: string;
  readonly durationMs: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header names in lower case; repeated request headers joined as HTTP joins them. */
function requestHeaders(headers: RawExchange['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const text = typeof value === 'string' ? value : value.join(key === 'cookie' ? '; ' : ', ');
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  }
  return out;
}

function replyHeaders(headers: Readonly<Record<string, string | readonly string[]>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const values = [...(out[key] === undefined ? [] : [out[key]].flat()), ...[value].flat()];
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

/** The body as the Exchange keeps it: text when it is UTF-8, base64 otherwise, nothing when empty. */
export function bodyFields(body: Buffer | undefined): { body?: string; bodyBase64?: string } {
  if (!body || body.length === 0) return {};
  try {
    return { body: utf8.decode(body) };
  } catch {
    return { bodyBase64: body.toString('base64') };
  }
}

/** Turns a recording into the Exchange the validator and the privacy scanner read, its request code decoded from its parts. */
export function recordedExchange(raw: RawExchange): Exchange {
  const request: SentRequest = {
    method: raw.method.toUpperCase(),
    url: raw.url,
    headers: requestHeaders(raw.headers),
    ...bodyFields(raw.body),
    ...(raw.sourceAddress ? { localAddress: raw.sourceAddress } : {}),
  };
  const code = requestCodeOf(request);
  const reply = raw.reply ? { status: raw.reply.status, headers: replyHeaders(raw.reply.headers), bytes: raw.reply.body, ...parseReplyBytes(raw.reply.body) } : undefined;
  return {
    ...(code !== undefined ? { code } : {}),
    request,
    ...(reply ? { reply } : {}),
    ...(raw.failure ? { failure: { ...raw.failure } } : {}),
    startedAt: raw.startedAt,
    durationMs: raw.durationMs,
  };
}

/** An exchange and where it was read: file and line or entry. */
export interface SourcedExchange {
  readonly source: string;
  readonly exchange: Exchange;
}

/** What a reader made of one recording. */
export interface Recording {
  readonly exchanges: SourcedExchange[];
  /** Entries or lines that could not be read, or only in part, with the reason. */
  readonly problems: string[];
  /** Entries left out because they are not protocol traffic (a browser's other requests). */
  readonly skipped: number;
}
