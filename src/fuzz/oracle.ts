// Which rule a near-valid request breaks, read from the schemas through the
// validator: the fuzzer asserts "never resp 1" only for requests the profile
// says cannot succeed.
import { isRequestCode } from '../protocol/codes.js';
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
 * The rule a sent request breaks, so that the Hive may not answer it with
 * resp 1; undefined when it is valid after all, or when the profile lets a
 * Hive accept it. A `w` naming another code makes it a request of that code.
 */
export function brokenRule(request: PartsRequest, resolvedParts: Readonly<Record<string, unknown>>): RuleId | undefined {
  const reading = decode(resolvedParts);
  if (reading === 'undecided') return undefined;
  if ('encoding' in reading) return reading.encoding;
  const parts = reading.value as Record<string, unknown>;
  const named = parts.w;
  if (typeof named === 'string' && !isRequestCode(named)) return 'E2';
  const code = isRequestCode(named) ? named : request.code;
  return validateRequest(code, parts).violations.find((v) => !MAY_STILL_SUCCEED.has(v.rule))?.rule;
}
