// Text the fuzzer writes into string parts: ordinary text, the Unicode that
// breaks naive implementations, and the hostile fragments M1 and M2 forbid.
import fc from 'fast-check';

/**
 * Unicode that implementations get wrong, each a sequence of scalar values:
 * astral characters, combining marks and text whose NFC form differs, right-
 * to-left text and bidi controls, zero-width and invisible characters,
 * controls, line separators, noncharacters. T5 says all of it round-trips.
 */
export const UNICODE_EDGES: Readonly<Record<string, readonly string[]>> = {
  astral: ['😀', '𝔘', '\u{10FFFF}', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', '\u{1F1EB}\u{1F1F7}', '\u{20BB7}'],
  // Each of these changes under NFC (decomposed forms, the Angstrom and Kelvin signs).
  combining: ['e\u0301', 'A\u030A', '\u212B', '\u212A', '\u1E9B\u0323', 'o\u0308\u0304', 'Q\u0307\u0323'],
  leadingMark: ['\u0301', '\u20DD', '\u0345'],
  rtl: ['\u202E', '\u202B', '\u200F', '\u2067', '\u2069', 'שלום', 'مرحبا', '\u05D0\u05B8'],
  invisible: ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060', '\u00AD', '\u180E'],
  control: ['\u0000', '\u0007', '\u001B', '\u007F', '\u0085', '\r\n', '\r', '\t', '\u000B'],
  separator: ['\u2028', '\u2029', '\u00A0', '\u3000', '\u1680'],
  nonCharacter: ['\uFFFE', '\uFFFF', '\uFDD0', '\u{1FFFE}', '\u{10FFFE}', '\uFFFD'],
  caseTrap: ['İ', 'ı', 'ß', 'ǅ', 'ﬁ', 'Σ'],
  // Not HTML and not script (M1, M2 allow them): a Hive must not refuse or change them.
  lookalike: ['a < b', '<3', '1<2', '< b>', '[b]bold[/b]', '[url=https://example.com]x[/url]', 'javascript: is a language', '"\\/'],
};

const EDGE_UNITS = Object.values(UNICODE_EDGES).flat();

/**
 * Any Unicode scalar value. Built from an integer rather than fast-check's
 * 'binary' unit, whose reverse mapping of all 1.1 million code points is
 * rebuilt each time a string arbitrary is made from it.
 */
const scalarValue: fc.Arbitrary<string> = fc.integer({ min: 0, max: 0x10ffff }).filter((cp) => cp < 0xd800 || cp > 0xdfff).map((cp) => String.fromCodePoint(cp));

/** One piece of text: a printable ASCII character, any scalar value, or an edge case. */
const textUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((cp) => String.fromCharCode(cp)) },
  { weight: 2, arbitrary: scalarValue },
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_UNITS) },
);

/** Cuts or pads text to `min`..`max` characters, so that units of several characters never make generation retry. */
function fit(value: string, min: number, max: number | undefined): string {
  const chars = [...value].slice(0, max);
  while (chars.length < min) chars.push('a');
  return chars.join('');
}

/** Text of `min` to `max` characters (scalar values, as the profile counts, T11). */
export function text(min = 0, max?: number): fc.Arbitrary<string> {
  return fc.string({ unit: textUnit, minLength: min, ...(max !== undefined ? { maxLength: max } : {}) }).map((value) => fit(value, min, max));
}

/** Exactly `count` characters, mostly outside the BMP: a length limit counted in UTF-16 units or bytes shows. */
export function textOfLength(count: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom('😀', '𝔘', 'é', 'a', '\u{20BB7}'), { minLength: count, maxLength: count }).map((chars) => chars.join(''));
}

/** HTML an M1 Hive refuses, in the shapes attacks take. */
export const HTML_FRAGMENTS: readonly string[] = [
  '<b>', '</p>', '<!--', '<?xml version="1.0"?>', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
  '<A HREF="x">', '<svg/onload=alert(1)>', '<!DOCTYPE html>', '<iframe src=//x>',
];

/** Script URLs in the BBCode forms M2 fixes, which every Hive refuses: both tags, any case, with blanks and quotes. */
export const SCRIPT_URLS: readonly string[] = [
  '[url=javascript:alert(1)]x[/url]', '[url]javascript:alert(1)[/url]', '[img]data:image/png;base64,AAAA[/img]',
  '[URL=" VBScript:msgbox(1)"]x[/URL]', "[img] ' JaVaScRiPt:x'[/IMG]", '[url]data:text/html,hi[/url]', '[IMG]vbscript:x[/IMG]',
];

/** Fragments short of M2's forms, which a Hive may take or refuse (L-M2-fragments): the two issue 12 found first. */
export const SCRIPT_URL_FRAGMENTS: readonly string[] = [
  '[IMg=DAtA:', '[Url!]JaVAScrIPt:', '[img=data:x]', '[url=javascript:alert(1)', '[url]javascript:x', '[url=jav&#97;script:x]',
  '[url=java script:x]', '[url=javascript :x]', '[url=\u00a0javascript:x]', '[url=http://x]javascript: rocks[/url]', '[url]javascript:x[/img]',
];

/** The word in random ASCII letter case. */
const anyCase = (word: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

/** Blanks and quotes M2 trims around U. */
const trimmed = fc.array(fc.constantFrom(' ', '\t', '\r', '\n', '"', "'"), { maxLength: 3 }).map((chars) => chars.join(''));

/** A URL of a script scheme: the scheme in any case, then a little of anything. */
const scriptTarget = fc.record({ scheme: fc.constantFrom('javascript', 'data', 'vbscript').chain(anyCase), rest: fc.constantFrom('alert(1)', 'text/html,hi', 'msgbox(1)', '', 'x]y') })
  .map(({ scheme, rest }) => `${scheme}:${rest}`);

/** One of M2's three forms holding a script URL, tag names in any case: text every Hive refuses. */
export const scriptUrl: fc.Arbitrary<string> = fc.record({
  form: fc.constantFrom('url=', 'url', 'img'),
  before: trimmed,
  target: scriptTarget,
  after: trimmed,
  tail: fc.constantFrom('', 'x', 'link text[/url]'),
}).chain(({ form, before, target, after, tail }) =>
  anyCase(form.slice(0, 3)).map((name) => (form === 'url=' ? `[${name}=${before}${target}${after}]${tail}` : `[${name}]${before}${target}${after}[/${name}]`)));

/** Ways a complete form falls short of M2's grammar, each leaving it to the Hive. */
const SHORTFALLS: readonly ((form: string) => string)[] = [
  (form) => form.slice(0, form.indexOf(':') + 1), // cut after the scheme: no ']' or closing tag
  (form) => form.replace(/^\[([a-z]{3})/i, '[$1!'), // junk after the tag name
  (form) => form.replace(/^\[url\]/i, '[img=').replace(/\[\/url\]$/i, ']'), // [img=U], a form M2 does not name
  (form) => form.replace(/:/, ' :'), // a blank before the colon
  (form) => form.replace(/script:|data:/i, (scheme) => `${scheme[0]}&#${scheme.charCodeAt(1)};${scheme.slice(2)}`), // a character reference
  (form) => form.replace(/\[\/(url|img)\]$/i, '[/b]'), // the wrong closing tag
];

/** Fragments short of M2's forms, most made from complete ones (a shortfall may leave one whole: the oracle judges each). */
export const scriptUrlFragment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SCRIPT_URL_FRAGMENTS),
  fc.record({ form: scriptUrl, shortfall: fc.constantFrom(...SHORTFALLS) }).map(({ form, shortfall }) => shortfall(form)),
);

/** M1/M2-like text no rule lets a Hive refuse (a Hive must not refuse or change it). */
export const LOOKALIKES: readonly string[] = UNICODE_EDGES.lookalike!;

/** A long string of one repeated piece, about `bytes` bytes of JSON once encoded: the body limit's neighbourhood (T11). */
export function hugeText(minBytes: number, maxBytes: number): fc.Arbitrary<string> {
  return fc.record({ piece: fc.constantFrom('a', 'é', '😀', '\u200B', '\u0000', 'e\u0301', 'ab '), bytes: fc.integer({ min: minBytes, max: maxBytes }) })
    .map(({ piece, bytes }) => piece.repeat(Math.max(1, Math.floor(bytes / (Buffer.byteLength(JSON.stringify(piece)) - 2)))));
}
