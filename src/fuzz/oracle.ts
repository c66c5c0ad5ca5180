// What the profile demands of a Hive for a generated request, read from the
// schemas through the validator and from M1/M2's exact grammar: the fuzzer
// asserts "never resp 1" only where the profile says a request cannot succeed,
// and success only where no rule lets the Hive refuse.
import { isRequestCode } from '../protocol/codes.js';
import { textDemand } from '../protocol/content.js';
import type { RuleId } from '../protocol/rules.js';
import { validateRequest } from '../validator/validate.js';
import { classifyLiteral, exactValue, RawJson } from './numbers.js';
import type { PartsRequest } from './valid.js';
import { BadUtf8, Twice } from './wire.js';

/** Broken rules a conformant Hive may still answer with success: a subject over 200 characters fits a Hive whose own limit is larger (T11). */
const MAY_STILL_SUCCEED: ReadonlySet<RuleId> = new Set(['T11']);

/** The parts as a Hive decodes them; the encoding rule they break; or undecided, for a number a double cannot hold. */
type Reading = { readonly value: unknown } | { readonly encoding: RuleId } | 'undecided';

function decode(value: unknown): Reading {
  if (value instanceof Twice || value instanceof BadUtf8) return { encoding: 'T4' };
  if (value instanceof RawJson) {
    const exact = exactValue(value.text);
    if (exact !== undefined) return { value: exact };
    return classifyLiteral(value.text) ? 'undecided' : { encoding: 'T4' };
  }
  if (value === null || typeof value !== 'object') return { value };
  const entries = Object.entries(value);
  const readings = entries.map(([, item]) => decode(item));
  const encoding = readings.find((r): r is { encoding: RuleId } => typeof r === 'object' && 'encoding' in r);
  if (encoding) return encoding;
  if (readings.includes('undecided')) return 'undecided';
  const values = readings.map((r) => (r as { value: unknown }).value);
  return { value: Array.isArray(value) ? values : Object.fromEntries(entries.map(([name], i) => [name, values[i]])) };
}

/**
 * What the profile demands of the Hive a request was sent to (§11: a check
 * fails a Hive only for what the profile fixes): 'refuse' (a rule makes the
 * request fail: never resp 1), 'accept' (no rule lets the Hive refuse it for
 * its form or content), or 'either' (the profile leaves it to the Hive). The
 * fuzzer asserts only the first two.
 */
export type Demand =
  | { readonly must: 'refuse'; readonly rule: RuleId }
  | { readonly must: 'accept' }
  | { readonly must: 'either'; readonly why: string };

const either = (why: string): Demand => ({ must: 'either', why });

/** Epost_msg_send's text parts, which M1 and M2 judge. */
function textsOf(code: string, parts: Readonly<Record<string, unknown>>): string[] {
  return code === 'Epost_msg_send' ? [parts.subject, parts.body].filter((value): value is string => typeof value === 'string') : [];
}

/** The demand on a sent request. A `w` naming another code makes it a request of that code. */
export function demandOf(request: PartsRequest, resolvedParts: Readonly<Record<string, unknown>>): Demand {
  const reading = decode(resolvedParts);
  if (reading === 'undecided') return either('a number a double cannot hold exactly: the Hive may read it either way');
  if ('encoding' in reading) return { must: 'refuse', rule: reading.encoding };
  const parts = reading.value as Record<string, unknown>;
  const named = parts.w;
  if (typeof named === 'string' && !isRequestCode(named)) return { must: 'refuse', rule: 'E2' };
  const code = isRequestCode(named) ? named : request.code;
  const violations = validateRequest(code, parts).violations;
  const fixed = violations.find((v) => !MAY_STILL_SUCCEED.has(v.rule));
  if (fixed) return { must: 'refuse', rule: fixed.rule };
  if (violations.length > 0) return either(`${violations[0]!.rule}: ${violations[0]!.path} ${violations[0]!.message}, within what a Hive's own limits may take`);
  if (textsOf(code, parts).some((value) => textDemand(value) === 'either')) return either("a fragment short of M2's forms: the Hive may take or refuse it");
  return { must: 'accept' };
}
