// What a subject or body may hold (M1, M2), judged three ways: text the
// profile makes a Hive refuse, text no rule lets it refuse, and the fragments
// between the two that M2 leaves to the Hive. Every scan here is one pass (or
// a bounded look around one position), whatever the text: a Hive's text is
// judged in linear time.
import { readSchemaFile } from '../paths.js';

interface TextSchema { $defs: { htmlTag: { pattern: string }; scriptUrl: { format: string }; subject: { allOf: [unknown, { maxLength: number }] } } }
const text = readSchemaFile<TextSchema>('common/text.json');
const HTML_TAG = new RegExp(text.$defs.htmlTag.pattern, 'u');

export const MAX_SUBJECT_CHARS = text.$defs.subject.allOf[1].maxLength;

/** The JSON Schema format name under which the schemas state M2 (registered with ajv from containsScriptUrl). */
export const SCRIPT_URL_FORMAT = text.$defs.scriptUrl.format;

/** M1: an HTML tag is '<' followed by an ASCII letter, '/', '!' or '?'. */
export function containsHtml(value: string): boolean {
  return HTML_TAG.test(value);
}

/** ASCII letters lower-cased, every other character kept where it was (toLowerCase would change lengths and fold non-ASCII letters). */
function asciiLower(value: string): string {
  return value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

const SCRIPT_SCHEMES = ['javascript:', 'data:', 'vbscript:'] as const;
/** What M2's "surrounding blanks and quotes" trims: space, tab, CR and LF, and both quote marks. */
const TRIMMED = new Set([' ', '\t', '\r', '\n', '"', "'"]);

/** Where the text after a script scheme starts, when U (from `at`, blanks and quotes skipped) begins with one; else -1. */
function afterScriptScheme(lower: string, at: number): number {
  let i = at;
  while (i < lower.length && TRIMMED.has(lower[i]!)) i++;
  const scheme = SCRIPT_SCHEMES.find((s) => lower.startsWith(s, i));
  return scheme ? i + scheme.length : -1;
}

/**
 * Whether some occurrence of `opening` is followed by a script URL and, after
 * it, by `closing`. Only the first occurrence with a script URL matters: any
 * `closing` after a later one also follows the first.
 */
function tagHoldsScript(lower: string, opening: string, closing: string): boolean {
  for (let at = lower.indexOf(opening); at >= 0; at = lower.indexOf(opening, at + opening.length)) {
    const end = afterScriptScheme(lower, at + opening.length);
    if (end >= 0) return lower.indexOf(closing, end) >= 0;
  }
  return false;
}

/**
 * M2, exactly as the profile fixes it: `[url=U]` (the opening tag with its
 * `]`, whatever follows), `[url]U[/url]` or `[img]U[/img]`, tag names and
 * schemes in any ASCII letter case, U read with surrounding blanks and quotes
 * trimmed, its scheme `javascript:`, `data:` or `vbscript:`.
 */
export function containsScriptUrl(value: string): boolean {
  const lower = asciiLower(value);
  return tagHoldsScript(lower, '[url=', ']') || tagHoldsScript(lower, '[url]', '[/url]') || tagHoldsScript(lower, '[img]', '[/img]');
}

/** Named character references that spell a character of a tag or a scheme. */
const NAMED_REFERENCES: Readonly<Record<string, string>> = { colon: ':', lsqb: '[', lbrack: '[' };
/** Longest character or percent reference read: `&#x0000003a;` and the like. */
const MAX_REFERENCE = 12;

/** The character a reference at `at` (`&#58;`, `&#x3A;`, `&colon;`, `%3A`) stands for and its length, if it is one. */
function referenceAt(value: string, at: number): { char: string; length: number } | undefined {
  const window = value.slice(at, at + MAX_REFERENCE);
  const numeric = /^&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,9}));?/.exec(window);
  if (numeric) {
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
    return code <= 0x10ffff ? { char: String.fromCodePoint(code), length: numeric[0].length } : undefined;
  }
  const named = /^&([a-zA-Z]{1,8});/.exec(window);
  if (named) {
    const char = NAMED_REFERENCES[named[1]!.toLowerCase()];
    return char === undefined ? undefined : { char, length: named[0].length };
  }
  const percent = /^%([0-9a-fA-F]{2})/.exec(window);
  return percent ? { char: String.fromCharCode(parseInt(percent[1]!, 16)), length: 3 } : undefined;
}

/**
 * The text as a lenient Hive might read it for M2: character and percent
 * references decoded, letters folded to lower-case ASCII where they can be,
 * and only letters, '[' and ':' kept (blanks, controls, invisible characters and punctuation inside a
 * tag or a scheme fall away).
 */
function lenientReading(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; ) {
    const reference = value[i] === '&' || value[i] === '%' ? referenceAt(value, i) : undefined;
    const char = reference ? reference.char : String.fromCodePoint(value.codePointAt(i)!);
    i += reference ? reference.length : char.length;
    // Beyond ASCII, compatibility forms and Unicode case too: the long s, the Kelvin sign, fullwidth letters.
    for (const folded of char < '\u0080' ? char.toLowerCase() : char.normalize('NFKC').toLowerCase()) {
      if ((folded >= 'a' && folded <= 'z') || folded === '[' || folded === ':') out += folded;
    }
  }
  return out;
}

/**
 * Fragments short of M2's forms that a Hive may still refuse (M2: "the Hive
 * may refuse or accept"): a `[url` or `[img` followed anywhere later by a
 * script scheme, in the lenient reading. It covers `[img=data:` with no `]`,
 * `[url]javascript:` with no `[/url]`, `[url!]…`, schemes spelled with
 * character references or inner blanks, and a scheme in the link text of a
 * safe link. Deliberately wide: it only ever turns a "must" into "either".
 */
export function nearScriptUrl(value: string): boolean {
  const reading = lenientReading(value);
  const tag = Math.min(...['[url', '[img'].map((name) => reading.indexOf(name)).filter((at) => at >= 0));
  return Number.isFinite(tag) && SCRIPT_SCHEMES.some((scheme) => reading.indexOf(scheme, tag + 4) >= 0);
}

/**
 * What M1 and M2 demand of a Hive sent this text: 'refuse' (the profile
 * fixes a refusal), 'accept' (no rule lets the Hive refuse it), or 'either'
 * (M2 leaves it to the Hive).
 */
export type TextDemand = 'refuse' | 'accept' | 'either';

export function textDemand(value: string): TextDemand {
  if (containsHtml(value) || containsScriptUrl(value)) return 'refuse';
  return nearScriptUrl(value) ? 'either' : 'accept';
}

/** Characters as the profile counts them: Unicode scalar values, not UTF-16 units. */
export function charCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
