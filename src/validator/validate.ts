import { isIP } from 'node:net';
import { CODES, isRequestCode, type RequestCode } from '../protocol/codes.js';
import { parseAddress } from '../protocol/address.js';
import { containsHtml } from '../protocol/content.js';
import { excerpt } from '../protocol/excerpt.js';
import { isReplyCode } from '../protocol/reply-codes.js';
import type { RuleId } from '../protocol/rules.js';
import { schemaValidator, type ErrorObject } from './schemas.js';
import { unlistedCodeFindings } from './unlisted-code.js';

/** One broken rule, with where in the data it is broken. */
export interface Violation {
  readonly rule: RuleId;
  /** JSON pointer into the validated data ('' for the whole). */
  readonly path: string;
  readonly message: string;
  /** For a member outside the schema (F3, F2): its name, whole; the message quotes only its start. */
  readonly member?: string;
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly violations: readonly Violation[];
}

const OK: ValidationResult = { valid: true, violations: [] };

function result(violations: Violation[]): ValidationResult {
  const seen = new Set<string>();
  const unique = violations.filter((v) => {
    const key = `${v.rule} ${v.path} ${v.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return unique.length === 0 ? OK : { valid: false, violations: unique };
}

/** Finds every string in a JSON value that is not well-formed UTF-16 (a lone surrogate cannot be UTF-8: T5). */
export function loneSurrogatePaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.isWellFormed() ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => loneSurrogatePaths(item, `${path}/${i}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(key.isWellFormed() ? [] : [`${path}/${key}`]),
      ...loneSurrogatePaths(item, `${path}/${key}`),
    ]);
  }
  return [];
}

const WRAPPER_KEYWORDS = new Set(['if', 'allOf', 'anyOf', 'oneOf', '$ref']);

/** The value a JSON pointer names inside data, or undefined. */
export function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** Names the rule an ajv error breaks; `ownRule` is the request code's Q rule, the rule for anything more specific rules do not claim. */
function ruleForError(error: ErrorObject, data: unknown, ownRule: RuleId, inMessage: boolean): RuleId {
  const path = error.instancePath;
  const leaf = path.split('/').pop() ?? '';
  if (error.keyword === 'additionalProperties') return 'F3';
  if (leaf === 'subject' || leaf === 'body') {
    if (error.keyword === 'not') {
      const value = valueAt(data, path);
      return typeof value === 'string' && containsHtml(value) ? 'M1' : 'M2';
    }
    if (error.keyword === 'maxLength') return 'T11';
  }
  if (leaf === 'date') return 'T9';
  if (/^(from|contact|iam)$/.test(leaf) || /\/to\/\d+$/.test(path)) {
    if (error.keyword === 'pattern') return leaf === 'iam' ? 'E1' : 'A1';
  }
  return inMessage ? 'G1' : ownRule;
}

function violationsFrom(errors: readonly ErrorObject[] | null | undefined, data: unknown, ownRule: RuleId): Violation[] {
  return (errors ?? [])
    .filter((e) => !WRAPPER_KEYWORDS.has(e.keyword) && !(e.keyword === 'format' && e.params.format?.toString().startsWith('ipv')))
    .map((e) => {
      // Only Epost_msg_fetch's msg and Epost_conv_*'s msgs hold Messages (G1); Epost_msg_send's msg is an id.
      const inMessage = (ownRule === 'Q11' && /^\/msg(\/|$)/.test(e.instancePath)) || /^\/msgs\/\d+(\/|$)/.test(e.instancePath);
      const member = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined;
      const violation = { rule: ruleForError(e, data, ownRule, inMessage), path: e.instancePath, message: `${e.message ?? e.keyword}${member === undefined ? '' : ` '${excerpt(member)}'`}` };
      return member === undefined ? violation : { ...violation, member };
    });
}

function ipViolations(data: unknown): Violation[] {
  // The ip member's anyOf of two formats yields three ajv errors; they are dropped above and reported once here.
  const msgs = (data as { msgs?: unknown }).msgs;
  const paths = ['/msg/ip', ...(Array.isArray(msgs) ? msgs.map((_, i) => `/msgs/${i}/ip`) : [])];
  return paths.flatMap((path) => {
    const value = valueAt(data, path);
    if (value === undefined || (typeof value === 'string' && isIP(value) !== 0)) return [];
    return [{ rule: 'G1', path, message: 'must be an IPv4 or IPv6 address in text form' }];
  });
}

/** Validates a request's parts (after decoding, with iam and w) against its code's schema and the envelope rules. */
export function validateRequest(code: string, parts: unknown): ValidationResult {
  const violations: Violation[] = loneSurrogatePaths(parts).map((path) => ({ rule: 'T5', path, message: 'lone surrogate: not a Unicode scalar value' }));
  if (parts === null || typeof parts !== 'object' || Array.isArray(parts)) {
    return result([{ rule: 'T4', path: '', message: 'request parts must be a JSON object' }]);
  }
  if (!isRequestCode(code)) {
    return result([...violations, { rule: 'E2', path: '/w', message: `${JSON.stringify(code)} is not a request code of the profile` }]);
  }
  const spec = CODES[code];
  const validate = schemaValidator(`requests/${code}.json`);
  if (!validate(parts)) {
    for (const v of violationsFrom(validate.errors, parts, spec.rule)) {
      if (v.path === '' && /must have required property 'session'/.test(v.message)) violations.push({ ...v, rule: 'U1' });
      else if (v.path === '' && /'(iam|w)'/.test(v.message)) violations.push({ ...v, rule: 'E1' });
      else if (v.path === '/start' || v.path === '/limit') violations.push({ ...v, rule: 'E4' });
      else if (v.path === '/w') violations.push({ ...v, rule: 'E1' });
      // A well-formed user address where a Hive-to-Hive code wants psychocat is the code's own rule (Q10, Q11).
      else if (v.path === '/iam' && parseAddress((parts as { iam?: unknown }).iam, 'x') !== null) violations.push({ ...v, rule: spec.rule });
      else violations.push(v);
    }
  }
  return result(violations);
}

/** Results by received reply and code. */
const receivedResults = new WeakMap<object, Map<string, ValidationResult>>();

/**
 * validateReply for a reply the runner received, kept with that reply: the
 * privacy scanner, the check's matcher and a fuzz judge each ask, and a
 * received reply is never changed after it arrives.
 */
export function validateReceivedReply(code: string, reply: { readonly json?: unknown }): ValidationResult {
  let byCode = receivedResults.get(reply);
  if (!byCode) receivedResults.set(reply, (byCode = new Map()));
  let validated = byCode.get(code);
  if (!validated) byCode.set(code, (validated = validateReply(code, reply.json)));
  return validated;
}

/** T6, R1: a reply is a JSON object with a resp from the table, whatever it answers. */
function replyFormViolations(reply: unknown): Violation[] {
  if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) return [{ rule: 'T6', path: '', message: 'a reply must be a JSON object' }];
  const resp = (reply as { resp?: unknown }).resp;
  if (typeof resp !== 'number') return [{ rule: 'T6', path: '/resp', message: 'a reply must hold a numeric resp' }];
  if (!isReplyCode(resp)) return [{ rule: 'R1', path: '/resp', message: `${resp} is not a reply code of the table` }];
  return [];
}

/**
 * Validates a reply body (parsed JSON) against the reply schema of the code it answers. A reply to an
 * unlisted code is judged as the privacy suite and the fuzz judges judge it (F2, E2), before its form.
 */
export function validateReply(code: string, reply: unknown): ValidationResult {
  if (!isRequestCode(code)) {
    const judged = unlistedCodeFindings(reply).map(({ rule, path, message, member }) => ({ rule, path, message: `the unlisted code ${message}`, ...(member === undefined ? {} : { member }) }));
    return result([...judged, ...replyFormViolations(reply)]);
  }
  const form = replyFormViolations(reply);
  if (form.length > 0) return result(form);
  const resp = (reply as { resp: number }).resp;
  const spec = CODES[code];
  const violations: Violation[] = [];
  if (!spec.replies.includes(resp)) violations.push({ rule: spec.rule, path: '/resp', message: `${code} never answers ${resp}` });
  const validate = schemaValidator(`replies/${code}.json`);
  if (!validate(reply)) violations.push(...violationsFrom(validate.errors, reply, spec.rule).filter((v) => !(v.path === '/resp' && v.message.includes('allowed values'))));
  violations.push(...ipViolations(reply));
  return result(violations);
}

/** Validates a Message object (G1) as Epost_msg_fetch returns it. */
export function validateMessage(message: unknown): ValidationResult {
  const wrapped = { resp: 1, msg: message };
  const r = validateReply('Epost_msg_fetch', wrapped);
  return result(r.violations.map((v) => ({ ...v, path: v.path.replace(/^\/msg/, ''), rule: v.rule === 'Q11' ? 'G1' : v.rule })));
}

export type { RequestCode };
