import { readSchemaFile } from '../paths.js';

interface TextSchema { $defs: { htmlTag: { pattern: string }; scriptUrl: { pattern: string }; subject: { allOf: [unknown, { maxLength: number }] } } }
const text = readSchemaFile<TextSchema>('common/text.json');
const HTML_TAG = new RegExp(text.$defs.htmlTag.pattern, 'u');
const SCRIPT_URL = new RegExp(text.$defs.scriptUrl.pattern, 'u');

export const MAX_SUBJECT_CHARS = text.$defs.subject.allOf[1].maxLength;

/** M1: an HTML tag is '<' followed by an ASCII letter, '/', '!' or '?'. */
export function containsHtml(value: string): boolean {
  return HTML_TAG.test(value);
}

/** M2: a javascript:, data: or vbscript: URL in a BBCode [url] or [img] tag. */
export function containsScriptUrl(value: string): boolean {
  return SCRIPT_URL.test(value);
}

/** Characters as the profile counts them: Unicode scalar values, not UTF-16 units. */
export function charCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
