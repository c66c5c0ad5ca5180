import { printable } from './console.js';

/** Characters a reader does not see but a renderer obeys: line and paragraph separators, zero-width and bidirectional controls, the BOM. */
const INVISIBLE = /[\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

function visible(text: string): string {
  return printable(text).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text shown as is in Markdown, inline: what the Hive sent can hold markup, and
 * a job summary must not render it. Line ends become spaces and every other
 * control character is shown as an escape, so nothing starts a line (no
 * heading, list or table row); the punctuation Markdown, GitHub's extensions
 * and HTML act on is backslash-escaped, so no emphasis, link, autolink
 * (`https\://`, `www\.`), mention, math, entity or HTML tag forms.
 */
export function markdownText(text: string): string {
  return visible(text.replace(/\r\n|\n/g, ' '))
    .replace(/[\\`*_{}[\]<>()#+!|~&:@$]/g, '\\$&')
    .replace(/www\./gi, (www) => `${www.slice(0, 3)}\\.`);
}

/** A fenced block that no run of backticks in the text can close early; control characters are shown, not obeyed. */
export function fenced(text: string, language = ''): string {
  const shown = visible(text.replace(/\r\n/g, '\n'));
  let longest = 2;
  let run = 0;
  for (const c of shown) {
    run = c === '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${shown}\n${fence}`;
}
