/**
 * How deep a request's JSON may nest. A valid request needs 2 (an object
 * holding an array); JSON.parse itself does not recurse, but any code walking
 * the parsed value does, so depth is capped before anything walks it.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote closing the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
  return i;
}

/**
 * Walks JSON text that JSON.parse accepted, without recursion, and tells
 * whether an object repeats a member name (JSON.parse keeps the last one
 * silently; T4 treats a part given twice as a bad request) or the nesting
 * goes deeper than MAX_JSON_DEPTH.
 */
function refusedStructure(text: string): boolean {
  // One entry per open container: the member names seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    switch (text[i]) {
      case '"': {
        const end = stringEnd(text, i);
        if (expectName) {
          const names = open[open.length - 1] as Set<string>;
          // Decoding the token compares names as JSON does: "a" and "\u0061" are the same name.
          const name = JSON.parse(text.slice(i, end + 1)) as string;
          if (names.has(name)) return true;
          names.add(name);
          expectName = false;
        }
        i = end;
        break;
      }
      case '{':
        open.push(new Set());
        expectName = true;
        if (open.length > MAX_JSON_DEPTH) return true;
        break;
      case '[':
        open.push(null);
        if (open.length > MAX_JSON_DEPTH) return true;
        break;
      case '}':
      case ']':
        open.pop();
        break;
      case ',':
        expectName = open[open.length - 1] instanceof Set;
        break;
    }
  }
  return false;
}

/**
 * Parses one JSON text of a request (a POST body or a GET part's value).
 * Undefined means "not acceptable JSON": a syntax error, a repeated member
 * name, or nesting beyond MAX_JSON_DEPTH.
 */
export function parseRequestJson(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // SyntaxError, or RangeError on some engines for very deep input.
    return undefined;
  }
  return refusedStructure(text) ? undefined : { value };
}
