import type { SentRequest } from './exchange.js';
import { PLACEHOLDERS } from './secrets.js';

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const PLACEHOLDER = new RegExp(Object.values(PLACEHOLDERS).map((p) => p.replace('$', '\\$')).join('|'), 'g');

/**
 * One shell word holding the text: single-quoted, so nothing in it is
 * expanded, except the placeholders of redacted secrets, which are left as
 * "$PAME_…" for the reader to set.
 */
function shellWord(text: string): string {
  let word = '';
  let from = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > from) word += shellQuote(text.slice(from, match.index));
    word += `"${match[0]}"`;
    from = match.index + match[0].length;
  }
  return from < text.length || word === '' ? word + shellQuote(text.slice(from)) : word;
}

/** Bytes a shell word cannot carry (NUL) or a reader would not see (other control characters): such a body goes as base64. */
function needsBase64(body: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(body);
}

const SHOWN_HEADERS = new Set(['content-type', 'cookie', 'x-forwarded-for', 'forwarded']);

/**
 * One curl line that sends the same request again, so an implementer can
 * reproduce a failure. The body always goes through stdin (--data-binary @-),
 * so no body is ever read as `@file`; secrets the report redacted stay
 * placeholders ("$PAME_SESSION") the reader sets, as the line's note says.
 */
export function curlLine(request: SentRequest): string {
  const parts = ['curl', '-sS', '--max-redirs', '0'];
  if (request.method === 'HEAD') parts.push('-I');
  else if (request.method !== 'GET' || request.body !== undefined || request.bodyBase64 !== undefined) parts.push('-X', /^[A-Za-z-]+$/.test(request.method) ? request.method : shellQuote(request.method));
  for (const [name, value] of Object.entries(request.headers)) {
    if (SHOWN_HEADERS.has(name.toLowerCase())) parts.push('-H', shellWord(`${name}: ${value}`));
  }
  if (request.localAddress) parts.push('--interface', shellQuote(request.localAddress));
  let input = '';
  if (request.body !== undefined && !needsBase64(request.body)) input = `printf %s ${shellWord(request.body)} | `;
  else if (request.body !== undefined || request.bodyBase64 !== undefined) {
    const base64 = request.bodyBase64 ?? Buffer.from(request.body!, 'utf8').toString('base64');
    input = `printf %s ${shellQuote(base64)} | base64 -d | `;
  }
  if (input) parts.push('--data-binary', '@-');
  parts.push(shellWord(request.url));
  const line = input + parts.join(' ');
  const unset = [...new Set(line.match(PLACEHOLDER) ?? [])];
  return unset.length > 0 ? `${line}  # redacted: set ${unset.map((p) => p.slice(1)).join(', ')} first` : line;
}
