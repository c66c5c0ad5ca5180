// Near-valid requests: a request meant to succeed with exactly one part
// wrong. What "wrong" can mean for a part is read from its schema: a missing
// required part, another JSON type, a length, an item count or a minimum
// overstepped, a value outside an enum or a pattern, a value matching a `not`
// (M1, M2), and encodings (T4, T5) that no schema can state.
import fc from 'fast-check';
import { REQUEST_CODES, type RequestCode } from '../protocol/codes.js';
import { Derived } from './live.js';
import { oddNumber, RawJson } from './numbers.js';
import { child, deref, partWeight, requestParts, satisfies, type Located, type PartSchema } from './schema-walk.js';
import { SCRIPT_URL_FORMAT } from '../protocol/content.js';
import { lazy } from './lazy.js';
import { HTML_FRAGMENTS, hugeText, SCRIPT_URLS, scriptUrl, text } from './text.js';
import { keywordsOf, matching, partValue, validRequest, validValue, type Keywords, type PartsRequest } from './valid.js';
import { BadUtf8, Twice } from './wire.js';

/** The part is left out. */
export const ABSENT: unique symbol = Symbol('absent');

/** One way a part is wrong: a new value made from the valid one (which may still be a placeholder). */
export interface Mutation {
  readonly how: string;
  readonly apply: (valid: unknown) => unknown;
}

const to = (how: string, value: unknown): Mutation => ({ how, apply: () => value });

const derive = (how: string, make: (value: string) => unknown): Mutation => ({ how, apply: (valid) => new Derived(valid, how, (value) => make(String(value))) });

/** A value of each JSON type, for "the wrong type" (integer-looking strings for number parts: JS coercion bugs). */
function valueOfType(type: string, numeric: boolean): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      // For a number part, mostly the digits of a valid number: what a lax Hive would read as that number.
      return numeric
        ? fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 50 }).map(String) }, { weight: 1, arbitrary: fc.integer({ min: -5, max: -1 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('1e2', ' 3', '0x10', '') })
        : fc.oneof(fc.constantFrom('', 'true', 'null', '[]'), text(0, 8));
    case 'integer':
      return fc.oneof(fc.constantFrom(0, 1, -1), fc.integer());
    case 'number':
      return fc.constantFrom(0.5, -2.5, 1.000001, -1e-7);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.oneof(fc.constant([]), fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }));
    default:
      return fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 3 }));
  }
}

const JSON_TYPES = ['string', 'integer', 'number', 'boolean', 'null', 'array', 'object'];

function wrongTypes(k: Keywords): fc.Arbitrary<Mutation>[] {
  const allowed = k.types ?? (k.allowed ? [...new Set(k.allowed.map((v) => (typeof v === 'number' ? 'number' : typeof v)))] : []);
  if (allowed.length === 0) return [];
  const numeric = allowed.includes('integer') || allowed.includes('number');
  return JSON_TYPES.filter((type) => !allowed.includes(type) && !(type === 'integer' && allowed.includes('number'))).flatMap((type) => {
    const mutation = valueOfType(type, numeric).map((value) => to(`a ${type} (${JSON.stringify(value)}) instead`, value));
    // A number written as a string is the likeliest confusion of all: it is tried as often as the other types together.
    return numeric && type === 'string' ? Array<typeof mutation>(JSON_TYPES.length - 2).fill(mutation) : [mutation];
  });
}

/** Text that breaks a pattern: a valid value with one character spoiled, or stretched, or random text. */
function breakingPattern(pattern: string): fc.Arbitrary<Mutation> {
  const regex = new RegExp(pattern, 'u');
  const spoiled = fc.record({ valid: matching(pattern), at: fc.nat(), with: fc.constantFrom(' ', '@', ':', '::', '.', '-', 'é', 'ß', '/', '\u200B', '\u0000', '%', 'A'.repeat(70)) })
    .map(({ valid, at, with: piece }) => {
      const chars = [...valid];
      const i = at % (chars.length + 1);
      return [...chars.slice(0, i), piece, ...chars.slice(i)].join('');
    });
  return fc.oneof(spoiled, text(0, 12)).filter((value) => !regex.test(value)).map((value) => to(`${JSON.stringify(value)}, against the pattern`, value));
}

function outsideEnum(allowed: readonly unknown[]): fc.Arbitrary<Mutation> {
  const strings = allowed.filter((v): v is string => typeof v === 'string');
  const variants = strings.flatMap((v) => [v.toUpperCase(), v[0]!.toUpperCase() + v.slice(1), ` ${v}`, `${v} `, `${v}\u0000`]);
  return fc.oneof(fc.constantFrom(...variants, ''), text(1, 10)).filter((value) => !allowed.includes(value)).map((value) => to(`${JSON.stringify(value)}, not one of ${JSON.stringify(allowed)}`, value));
}

/** Text holding what a `not` forbids: each pattern branch generated, and the real-world fragments that match it. */
function matchingNot(not: Located): fc.Arbitrary<string> | undefined {
  const target = deref(not);
  const branches = target.node.anyOf ? target.node.anyOf.map((_, i) => deref(child(target, 'anyOf', i))) : [target];
  const sources = branches.flatMap(({ node }): fc.Arbitrary<string>[] => {
    // M2's format is a hand-written scan, not a pattern: its own generator stands in.
    if (node.format === SCRIPT_URL_FORMAT) return [fc.oneof(fc.constantFrom(...SCRIPT_URLS), scriptUrl)];
    if (node.pattern === undefined) return [];
    const regex = new RegExp(node.pattern, 'u');
    const known = HTML_FRAGMENTS.filter((fragment) => regex.test(fragment));
    return [known.length > 0 ? fc.oneof(fc.constantFrom(...known), matching(node.pattern)) : matching(node.pattern)];
  });
  if (sources.length === 0) return undefined;
  return fc.tuple(text(0, 4), fc.oneof(...sources), text(0, 4)).map((pieces) => pieces.join(''));
}

const LONE_SURROGATES = ['\uD800', '\uDFFF', '\uD83D', '\uDE00\uD83D'];
const NOT_UTF8: readonly (readonly number[])[] = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]];
const NOT_JSON = ['abc', "'x'", '{', 'tru', 'NaN', 'Infinity', 'undefined', '0x10', '01', '.5', '+1', '"open', '[1,]', '{"a":1,}', ''];

function splitAt(value: string, at: number): [string, string] {
  const chars = [...value];
  const i = at % (chars.length + 1);
  return [chars.slice(0, i).join(''), chars.slice(i).join('')];
}

/** Text that is not JSON where a value belongs (T4). */
const notJson = fc.constantFrom(...NOT_JSON).map((token) => to(`${JSON.stringify(token)}, not JSON text`, new RawJson(token)));

/** The part given twice (T4). */
const givenTwice = fc.constant<Mutation>({ how: 'given twice', apply: (valid) => new Twice(valid, valid) });

/** Encodings wrong for a string: a lone surrogate (T5), bytes that are not UTF-8 (T4). */
function badStringEncodings(): fc.Arbitrary<Mutation>[] {
  return [
    fc.record({ lone: fc.constantFrom(...LONE_SURROGATES), at: fc.nat() }).map(({ lone, at }) =>
      derive(`a lone surrogate ${JSON.stringify(lone)} inside`, (value) => splitAt(value, at).join(lone))),
    fc.record({ bytes: fc.constantFrom(...NOT_UTF8), at: fc.nat() }).map(({ bytes, at }) =>
      derive(`bytes ${bytes.map((b) => b.toString(16)).join(' ')} that are not UTF-8 inside`, (value) => {
        const [before, after] = splitAt(value, at);
        return new BadUtf8(before, bytes, after);
      })),
  ];
}

/** The ways a value can be wrong, in three families tried equally often: its JSON type, its range or form, its encoding. */
export interface MutationFamilies {
  readonly type: fc.Arbitrary<Mutation>[];
  readonly range: fc.Arbitrary<Mutation>[];
  readonly encoding: fc.Arbitrary<Mutation>[];
}

/** Every way the value of these nodes can be wrong, with a value that is valid everywhere else. */
export function valueMutations(nodes: readonly Located[]): MutationFamilies {
  const k = keywordsOf(nodes);
  const violates = (value: unknown) => !nodes.every((at) => satisfies(at, value));
  const range: fc.Arbitrary<Mutation>[] = [];
  const encoding: fc.Arbitrary<Mutation>[] = [notJson];
  if (k.types?.includes('string') || k.allowed?.some((v) => typeof v === 'string')) encoding.push(...badStringEncodings());
  if (k.allowed) range.push(outsideEnum(k.allowed));
  if (k.types?.includes('string') && !k.allowed) {
    if (k.minLength > 0) range.push(text(0, k.minLength - 1).map((value) => to(`${JSON.stringify(value)}, shorter than ${k.minLength} characters`, value)));
    if (k.maxLength !== undefined) {
      const max = k.maxLength;
      range.push(text(max + 1, max + 40).map((value) => to(`${[...value].length} characters, more than ${max}`, value)));
      range.push(hugeText(16 * 1024, 96 * 1024).map((value) => to(`a huge string of ${[...value].length} characters`, value)));
    }
    for (const pattern of k.patterns) range.push(breakingPattern(pattern));
    for (const not of k.nots) {
      const forbidden = matchingNot(not);
      const limit = k.maxLength ?? Infinity;
      if (forbidden) range.push(forbidden.filter((value) => [...value].length <= limit && violates(value)).map((value) => to(`${JSON.stringify(value)}, which it forbids`, value)));
    }
  }
  if (k.types?.includes('integer')) {
    const min = k.minimum;
    if (min !== undefined) range.push(fc.integer({ min: min - 1_000_000, max: min - 1 }).map((value) => to(`${value}, below ${min}`, value)));
    range.push(fc.double({ noNaN: true, noDefaultInfinity: true, noInteger: true, min: -1e6, max: 1e6 }).map((value) => to(`${value}, not a whole number`, value)));
    range.push(oddNumber.map((literal) => to(`the number ${literal.text}`, literal)));
  }
  if (k.types?.includes('array') && k.items) {
    const item = validValue([k.items], 'aimed');
    if (k.minItems > 0) range.push(fc.array(item, { maxLength: k.minItems - 1 }).map((items) => to(`${items.length} items, fewer than ${k.minItems}`, items)));
    if (k.maxItems !== undefined) {
      const max = k.maxItems;
      range.push(fc.array(item, { minLength: max + 1, maxLength: max + 5 }).map((items) => to(`${items.length} items, more than ${max}`, items)));
    }
    range.push(fc.record({ items: fc.array(item, { minLength: Math.max(1, k.minItems), maxLength: Math.max(1, Math.min(3, k.maxItems ?? 3)) }), wrong: anyMutation(valueMutations([k.items])), at: fc.nat() })
      .map(({ items, wrong, at }) => {
        const i = at % items.length;
        return { how: `item ${i}: ${wrong.how}`, apply: () => items.map((value, j) => (j === i ? wrong.apply(value) : value)) };
      }));
  }
  return { type: wrongTypes(k), range, encoding };
}

/** One mutation: a family first, then a way within it. */
function anyMutation(families: MutationFamilies): fc.Arbitrary<Mutation> {
  const present = [families.type, families.range, families.encoding].filter((kinds) => kinds.length > 0);
  return fc.oneof(...present.map((kinds) => fc.oneof(...kinds)));
}

/** The mutations of one part: left out when it is required, given twice, or any wrong value. */
function partMutations(part: PartSchema): fc.Arbitrary<Mutation> {
  const families = valueMutations(part.constraints);
  const missing = part.required ? [fc.constant<Mutation>({ how: 'left out', apply: () => ABSENT })] : [];
  return anyMutation({ ...families, encoding: [...families.encoding, givenTwice, ...missing] });
}

/** One choice per part of the code, each with the part's weight: the base request meant to succeed, that part made wrong. */
function nearValidChoices(code: RequestCode): { weight: number; arbitrary: fc.Arbitrary<PartsRequest> }[] {
  const base = validRequest(code, 'aimed');
  return requestParts(code).map((part) => ({
    weight: partWeight(part.name),
    arbitrary: fc.record({ base, mutation: partMutations(part), filler: partValue(part, 'aimed') }).map(({ base: request, mutation, filler }) => {
      // An optional part the base left out is mutated from a valid value of its own.
      const valid = part.name in request.parts ? request.parts[part.name] : filler;
      const value = mutation.apply(valid);
      const parts: Record<string, unknown> = { ...request.parts };
      if (value === ABSENT) delete parts[part.name];
      else parts[part.name] = value;
      return { ...request, parts, fault: { part: part.name, how: mutation.how } };
    }),
  }));
}

/** Requests of a code meant to succeed, but for exactly one part, which is wrong. */
export function nearValidRequest(code: RequestCode): fc.Arbitrary<PartsRequest> {
  return fc.oneof(...nearValidChoices(code));
}

/**
 * Near-valid requests of any code. Every part name is as likely to be the
 * wrong one: a part many codes share (iam, session) is spread over them, so
 * the parts that make each code what it is (start, limit, to, ticket) are not
 * drowned by the envelope.
 */
export const anyNearValidRequest = lazy(() => fc.oneof(...REQUEST_CODES.flatMap(nearValidChoices)));
