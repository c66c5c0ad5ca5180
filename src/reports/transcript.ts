import type { Evidence } from '../generated/schemas.js';

/** An exchange as an HTTP transcript a person reads: request line, headers, body; then the reply the same way. */
export function httpTranscript(evidence: Evidence): string {
  const { request, reply, failure } = evidence;
  const lines = [`${request.method} ${request.url}`, ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`)];
  if (request.localAddress) lines.push(`(sent from ${request.localAddress})`);
  lines.push('', request.body ?? (request.bodyBase64 !== undefined ? `(binary body, base64) ${request.bodyBase64}` : ''), '');
  if (failure) lines.push(`no reply: ${failure.kind}: ${failure.message}`);
  if (reply) {
    lines.push(`HTTP ${reply.status}`);
    for (const [name, value] of Object.entries(reply.headers)) for (const one of [value].flat()) lines.push(`${name}: ${one}`);
    lines.push('', reply.body);
    if (reply.truncated) lines.push(`… (cut; the reply had ${reply.bytes} bytes)`);
  }
  if (evidence.durationMs !== undefined) lines.push('', `(${Math.round(evidence.durationMs)} ms)`);
  return lines.join('\n') + '\n';
}
