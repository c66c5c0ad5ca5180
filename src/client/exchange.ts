/** What the runner sent: enough to print it and to replay it with curl. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text; absent for GET. Bytes that are not UTF-8 are carried in bodyBase64 instead. */
  readonly body?: string;
  readonly bodyBase64?: string;
  /** The source address the request was sent from, when not the default. */
  readonly localAddress?: string;
}

export interface ReceivedReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  /** The raw bytes read (at most the size cap). */
  readonly bytes: Buffer;
  /** Parsed JSON, when the bytes were UTF-8 JSON text. */
  readonly json?: unknown;
  /** Why the bytes are not JSON, when they are not. */
  readonly parseError?: string;
}

/** cancelled: the runner abandoned the request (its check ran out of budget), not the Hive's doing. */
export type FailureKind = 'timeout' | 'too-large' | 'network' | 'tls' | 'cancelled';

/** One request and what came of it: a reply, or the reason there is none. */
export interface Exchange {
  /** The request code, when the request was a protocol request. */
  readonly code?: string;
  readonly request: SentRequest;
  readonly reply?: ReceivedReply;
  readonly failure?: { readonly kind: FailureKind; readonly message: string };
  readonly startedAt: string;
  readonly durationMs: number;
}

export function headerValue(reply: ReceivedReply | undefined, name: string): string | undefined {
  const value = reply?.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The reply's resp when it is a JSON object holding one. */
export function respOf(exchange: Exchange): unknown {
  const json = exchange.reply?.json;
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as { resp?: unknown }).resp : undefined;
}

/** The session key a log-in reply carries, whatever else is wrong with the reply. */
export function sessionKeyOf(exchange: Exchange): string | undefined {
  const key = (exchange.reply?.json as { session?: unknown } | undefined)?.session;
  return typeof key === 'string' ? key : undefined;
}
