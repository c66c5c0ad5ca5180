// How a peer Hive answers step 2 (Epost_msg_fetch) for one of its scenario
// tickets: a scripted HTTP reply, possibly late, or no reply at all.

/** One scripted answer to a fetch. */
export type FetchAnswer =
  | {
      readonly kind: 'reply';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body: string | Buffer;
      /** Wait this long before answering. */
      readonly delayMs?: number;
    }
  /** Hold the request open until the Hive gives up or the peer closes. */
  | { readonly kind: 'hang' };

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function jsonReply(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): FetchAnswer {
  return { kind: 'reply', status, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** Confirms the ticket with this Message (which may be deliberately invalid: it is sent as given). */
export function confirm(message: unknown): FetchAnswer {
  return jsonReply(200, { resp: 1, msg: message });
}

/** The ticket is not one this peer issued for the asker: resp 0 (Q11). */
export function deny(): FetchAnswer {
  return jsonReply(200, { resp: 0 });
}

/** Any JSON body with status 200: for replies that look like a confirmation but are not one. */
export function answerJson(body: unknown): FetchAnswer {
  return jsonReply(200, body);
}

/** The same answer, given only after `delayMs`. */
export function late(delayMs: number, answer: FetchAnswer): FetchAnswer {
  return answer.kind === 'reply' ? { ...answer, delayMs } : answer;
}

/** HTTP 500 whose body would otherwise confirm: only a 200 confirms (§6). */
export function serverError(message: unknown): FetchAnswer {
  return jsonReply(500, { resp: 1, msg: message });
}

/** A body cut off in the middle of the JSON text. */
export function invalidJson(message: unknown): FetchAnswer {
  const text = JSON.stringify({ resp: 1, msg: message });
  return { kind: 'reply', status: 200, headers: JSON_TYPE, body: text.slice(0, Math.floor(text.length / 2)) };
}

/**
 * A confirmation megabytes long whose Message is not valid either (its body
 * holds an HTML tag, M1 — not a long subject, which a Hive with larger limits
 * may take): whatever reply cap the Hive uses, it must not deliver it.
 */
export function oversized(message: object, bytes = 2 * 1024 * 1024): FetchAnswer {
  return confirm({ ...message, body: `<b>${'x'.repeat(bytes)}` });
}

/** A redirect to `location`; the body would confirm for a Hive that reads it anyway. */
export function redirect(location: string, message: unknown): FetchAnswer {
  return jsonReply(307, { resp: 1, msg: message }, { location });
}

export function hang(): FetchAnswer {
  return { kind: 'hang' };
}
