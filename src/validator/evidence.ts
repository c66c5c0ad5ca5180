import { curlLine } from '../client/curl.js';
import type { Exchange } from '../client/exchange.js';
import type { Secrets } from '../client/secrets.js';
import type { Evidence, Failure } from '../generated/schemas.js';

/** How much of a reply body the report keeps. */
export const EVIDENCE_BODY_CHARS = 4096;

/**
 * An exchange as the report keeps it: small, serialisable, with the body cut
 * and every secret replaced by its placeholder. This and curlFor are where
 * evidence is made, so no reporter ever sees a secret.
 */
export function toEvidence(exchange: Exchange, secrets: Secrets): Evidence {
  const { reply, failure } = exchange;
  const request = secrets.redactRequest(exchange.request);
  const evidence: Evidence = { ...(exchange.code ? { code: exchange.code } : {}), request: { ...request, headers: { ...request.headers } }, durationMs: exchange.durationMs };
  if (request.body !== undefined && request.body.length > EVIDENCE_BODY_CHARS) evidence.request.body = request.body.slice(0, EVIDENCE_BODY_CHARS) + `… (${request.body.length} characters)`;
  if (reply) {
    // A secret that begins inside the kept part is redacted whole before the cut.
    const text = secrets.redactText(reply.bytes.subarray(0, EVIDENCE_BODY_CHARS + secrets.longestForm).toString('utf8')).slice(0, EVIDENCE_BODY_CHARS);
    const headers = Object.fromEntries(Object.entries(reply.headers).map(([name, value]) => [name, Array.isArray(value) ? value.map((one) => secrets.redactText(one)) : secrets.redactText(value)]));
    evidence.reply = { status: reply.status, headers, body: text, bytes: reply.bytes.length, truncated: reply.bytes.length > EVIDENCE_BODY_CHARS };
  }
  if (failure) evidence.failure = { kind: failure.kind, message: secrets.redactText(failure.message) };
  return evidence;
}

export function curlFor(exchange: Exchange, secrets: Secrets): string {
  const line = curlLine(secrets.redactRequest(exchange.request));
  return line.length > 8192 ? line.slice(0, 8192) + ' …(cut)' : line;
}

/** A short text of an exchange for failure messages, secrets redacted. */
export function describeExchange(exchange: Exchange, secrets: Secrets): string {
  const { reply, failure } = exchange;
  const request = secrets.redactRequest(exchange.request);
  const sent = `${request.method} ${request.url}${request.body !== undefined ? ' ' + request.body.slice(0, 300) : ''}`;
  const got = failure
    ? `${failure.kind}: ${failure.message}`
    : reply
      ? `${reply.status} ${reply.bytes.subarray(0, 300 + secrets.longestForm).toString('utf8')}${reply.bytes.length > 300 ? '…' : ''}`
      : '(nothing)';
  return secrets.redactText(`sent: ${sent}\n  got:  ${got}`);
}

/** A failure message that stands on its own: rule, what was wrong, what was sent and received, and curl. */
export function explainFailure(failure: Failure): string {
  const lines = [`[${failure.rule}] ${failure.message}`];
  if (failure.evidence) {
    const { request, reply, failure: transport } = failure.evidence;
    lines.push(`  sent: ${request.method} ${request.url}${request.body !== undefined ? ' ' + request.body.slice(0, 500) : ''}`);
    lines.push(`  got:  ${transport ? `${transport.kind}: ${transport.message}` : reply ? `${reply.status} ${reply.body.slice(0, 500)}` : '(nothing)'}`);
  }
  if (failure.curl) lines.push(`  curl: ${failure.curl}`);
  return lines.join('\n');
}
