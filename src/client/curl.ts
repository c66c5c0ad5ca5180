import type { SentRequest } from './exchange.js';

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const SHOWN_HEADERS = new Set(['content-type', 'cookie', 'x-forwarded-for', 'forwarded']);

/** One curl line that sends the same request again, so an implementer can reproduce a failure. */
export function curlLine(request: SentRequest): string {
  const parts = ['curl', '-sS', '--max-redirs', '0'];
  if (request.method !== 'GET' || request.body !== undefined) parts.push('-X', request.method);
  for (const [name, value] of Object.entries(request.headers)) {
    if (SHOWN_HEADERS.has(name.toLowerCase())) parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (request.localAddress) parts.push('--interface', request.localAddress);
  if (request.body !== undefined) parts.push('--data-binary', shellQuote(request.body));
  else if (request.bodyBase64 !== undefined) return `printf %s ${shellQuote(request.bodyBase64)} | base64 -d | ${parts.join(' ')} --data-binary @- ${shellQuote(request.url)}`;
  parts.push(shellQuote(request.url));
  return parts.join(' ');
}
