import { curlLine } from '../client/curl.js';
import type { Exchange } from '../client/exchange.js';
import type { Evidence, Failure } from '../generated/schemas.js';

/** How much of a reply body the report keeps. */
export const EVIDENCE_BODY_CHARS = 4096;

/** An exchange as the report keeps it: small, serialisable, with the body cut. */
export function toEvidence(exchange: Exchange): Evidence {
  const { request, reply, failure } = exchange;
  const evidence: Evidence = { ...(exchange.code ? { code: exchange.code } : {}), request: { ...request, headers: { ...request.headers } }, durationMs: exchange.durationMs };
  if (request.body !== undefined && request.body.length > EVIDENCE_BODY_CHARS) evidence.request.body = request.body.slice(0, EVIDENCE_BODY_CHARS) + `… (${request.body.length} characters)`;
  if (reply) {
    const text = reply.bytes.subarray(0, EVIDENCE_BODY_CHARS).toString('utf8');
    evidence.reply = { status: reply.status, headers: { ...reply.headers }, body: text, bytes: reply.bytes.length, truncated: reply.bytes.length > EVIDENCE_BODY_CHARS };
  }
  if (failure) evidence.failure = { ...failure };
  return evidence;
}

export function curlFor(exchange: Exchange): string {
  const line = curlLine(exchange.request);
  return line.length > 8192 ? line.slice(0, 8192) + ' …(cut)' : line;
}

/** A short text of an exchange for failure messages. */
export function describeExchange(exchange: Exchange): string {
  const { request, reply, failure } = exchange;
  const sent = `${request.method} ${request.url}${request.body !== undefined ? ' ' + request.body.slice(0, 300) : ''}`;
  const got = failure
    ? `${failure.kind}: ${failure.message}`
    : reply
      ? `${reply.status} ${reply.bytes.subarray(0, 300).toString('utf8')}${reply.bytes.length > 300 ? '…' : ''}`
      : '(nothing)';
  return `sent: ${sent}\n  got:  ${got}`;
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
