import { scanForPrivacy } from './privacy-scan.js';
import { headerValue, type Exchange, type ReceivedReply, type SentRequest } from '../client/exchange.js';
import type { CheckLevel } from '../generated/schemas.js';
import { CODES, isRequestCode, REQUEST_CODES } from '../protocol/codes.js';
import { excerpt } from '../protocol/excerpt.js';
import { describeReplyCode, RESP } from '../protocol/reply-codes.js';
import { partsFromBody, partsFromQuery, queryOf, type PartsDecoding } from '../protocol/request-parts.js';
import { RULES, type RuleId } from '../protocol/rules.js';
import { schemaValidator } from './schemas.js';
import { validateReceivedReply, validateRequest, type Violation } from './validate.js';

/** What part of an exchange a finding is about; `pame validate` reports each as one validation. */
export type ExchangeAspect = 'encoding' | 'envelope' | 'request' | 'reply' | 'privacy' | 'cookies' | 'dates';

/**
 * Who broke a rule: the client that sent the request, or the Hive that
 * replied. Rules bind Hives (profile §11): a client finding says what is wrong
 * with a request and never counts against the Hive, which is judged only on
 * its reply (a request that breaks a rule must be refused).
 */
export type Party = 'client' | 'hive';

/** One broken rule in a recorded exchange. */
export interface ExchangeFinding {
  readonly rule: RuleId;
  readonly level: CheckLevel;
  readonly party: Party;
  readonly aspect: ExchangeAspect;
  readonly message: string;
}

/** The validations `pame validate` reports, one per aspect: stable ids, titles, and the rules each can name. */
export const VALIDATIONS: Readonly<Record<ExchangeAspect, { readonly id: string; readonly title: string; readonly rules: readonly RuleId[] }>> = {
  encoding: { id: 'PAME-VAL-001', title: 'request encoding: GET or POST, parts as JSON text, UTF-8; refused with -1.1 otherwise', rules: ['T3', 'T4', 'T5'] },
  envelope: { id: 'PAME-VAL-002', title: 'request envelope: iam and w present and well formed, w a listed code; refused with -1.1 otherwise', rules: ['E1', 'E2'] },
  request: {
    id: 'PAME-VAL-003',
    title: "request parts match the request code's schema, and a Hive refuses those that do not",
    rules: ['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'Q8', 'Q9', 'Q10', 'Q11', 'A1', 'E4', 'M1', 'M2', 'T11', 'U1'],
  },
  reply: { id: 'PAME-VAL-004', title: "reply: JSON object, content type, HTTP status, reply code, and the code's reply schema", rules: ['T6', 'T7', 'R1', 'G1', 'A1', 'M1', 'M2', 'Q1', 'Q3', 'Q5', 'Q6', 'Q7', 'Q8', 'Q9', 'Q10', 'Q11'] },
  privacy: { id: 'PAME-VAL-005', title: 'privacy: no member outside the schema, no reply to unlisted codes, no leaked counts, IPs, places or contacts', rules: ['F1', 'F2', 'F3'] },
  cookies: { id: 'PAME-VAL-006', title: 'cookies: no Set-Cookie, and no cookie in place of a session key', rules: ['T8'] },
  dates: { id: 'PAME-VAL-007', title: 'dates: UTC, RFC 3339 with Z', rules: ['T9'] },
};

/**
 * Compiles every request and reply schema now rather than on first use, so a
 * live validator (the proxy, a check environment) never stalls on its first exchange.
 */
export function prepareValidator(): void {
  for (const code of REQUEST_CODES) {
    schemaValidator(`requests/${code}.json`);
    schemaValidator(`replies/${code}.json`);
  }
}

/** What the request of a recorded exchange decodes to (T4). */
export type RequestDecoding =
  | { readonly kind: 'parts'; readonly parts: Readonly<Record<string, unknown>> }
  /** GET or POST whose parts are not JSON text as T4 writes them. */
  | { readonly kind: 'undecodable'; readonly message: string }
  /** Neither GET nor POST (T3). */
  | { readonly kind: 'other-method' };

/** The shared decoder's answer in the validator's terms. */
function asDecoding(decoded: PartsDecoding): RequestDecoding {
  return 'parts' in decoded ? { kind: 'parts', parts: decoded.parts } : { kind: 'undecodable', message: decoded.undecodable };
}

function bodyOf(request: SentRequest): string | Buffer {
  return request.body ?? Buffer.from(request.bodyBase64 ?? '', 'base64');
}

/** Reads a request's parts as a Hive must (T4): GET from the query, POST from the body, each value JSON text. */
export function decodeRequestParts(request: SentRequest): RequestDecoding {
  if (request.method === 'GET') return asDecoding(partsFromQuery(queryOf(request.url)));
  if (request.method === 'POST') return asDecoding(partsFromBody(bodyOf(request)));
  return { kind: 'other-method' };
}

/** The request code of a request, when its parts decode and name one as a string. */
export function requestCodeOf(request: SentRequest): string | undefined {
  const decoded = decodeRequestParts(request);
  return decoded.kind === 'parts' && typeof decoded.parts.w === 'string' ? decoded.parts.w : undefined;
}

/** A request header by name, whatever the letter case it was recorded in. */
function requestHeader(request: SentRequest, name: string): string | undefined {
  const found = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}

/** A schema violation in words a reader knows from the profile, rather than the schema's pattern. */
function explain(violation: Violation): string {
  const { rule, message } = violation;
  if (rule === 'A1' && message.startsWith('must match pattern')) return 'is not an address written in full and in lower case (user::domain)';
  if (rule === 'E1' && message.startsWith('must match pattern')) return 'is not a well-formed address';
  if (rule === 'T9' && message.startsWith('must match pattern')) return 'is not a UTC date in RFC 3339 form ending in Z';
  if (rule === 'M1' && message === 'must NOT be valid') return 'holds an HTML tag';
  if (rule === 'M2' && message === 'must NOT be valid') return 'holds a javascript:, data: or vbscript: URL in a [url] or [img] tag';
  return message;
}

function levelOf(rule: RuleId): CheckLevel {
  return RULES.get(rule)?.level ?? 'MUST';
}

const PROTOCOL_REFUSED_METHODS = new Set(['PUT', 'DELETE', 'PATCH', 'OPTIONS']);
/** Methods HTTP knows; any other may be refused by the HTTP layer (T3). */
const HTTP_METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);
const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;

/** The findings of one exchange as they are collected: each said once. */
class Findings {
  readonly list: ExchangeFinding[] = [];

  add(aspect: ExchangeAspect, party: Party, rule: RuleId, message: string, level = levelOf(rule)): void {
    if (!this.list.some((f) => f.rule === rule && f.party === party && f.message === message)) this.list.push({ rule, level, party, aspect, message });
  }
}

/** What the request says: its code, when it names one, and the rule that obliges the Hive to refuse it, when it breaks one. */
interface RequestReading {
  readonly code?: string;
  readonly refusal?: { readonly rule: RuleId; /** Only -1.1 will do, not any negative resp. */ readonly exactly: boolean };
}

function readRequest(request: SentRequest, method: string, decoding: RequestDecoding, findings: Findings): RequestReading {
  if (decoding.kind === 'other-method') return PROTOCOL_REFUSED_METHODS.has(method) ? { refusal: { rule: 'T3', exactly: true } } : {};
  if (decoding.kind === 'undecodable') {
    findings.add('encoding', 'client', 'T4', decoding.message);
    return { refusal: { rule: 'T4', exactly: true } };
  }
  const { parts } = decoding;
  const sentType = requestHeader(request, 'content-type');
  if (method === 'POST' && !JSON_CONTENT_TYPE.test(sentType ?? '')) {
    findings.add('encoding', 'client', 'T4', `a POST body is sent with Content-Type: application/json, not ${sentType === undefined ? '(none)' : JSON.stringify(sentType)} (a Hive reads it anyway)`, 'SHOULD');
  }
  // The reply is held against the schema of the code w names, even when the envelope is incomplete.
  const code = typeof parts.w === 'string' ? parts.w : undefined;
  if (parts.w === undefined || parts.iam === undefined) {
    findings.add('envelope', 'client', 'E1', `the request lacks ${parts.w === undefined ? 'w' : 'iam'}`);
    return { ...(code !== undefined ? { code } : {}), refusal: { rule: 'E1', exactly: true } };
  }
  if (code === undefined) {
    findings.add('envelope', 'client', 'E1', `w is ${JSON.stringify(parts.w)}, not a request code string`);
    return { refusal: { rule: 'E1', exactly: true } };
  }
  for (const violation of validateRequest(code, parts).violations) {
    const where = violation.path ? `${violation.path} ` : '';
    if (violation.rule === 'T5') findings.add('encoding', 'client', 'T5', `${where}holds a lone surrogate, not a Unicode scalar value`);
    else if (violation.rule === 'E1' || violation.rule === 'E2') findings.add('envelope', 'client', violation.rule, `${where}${explain(violation)}`);
    // Past 200 characters a Hive may still accept a subject (T11 sets a floor, not a ceiling): only a warning for the client.
    else if (violation.rule === 'T11') findings.add('request', 'client', 'T11', `${where}${violation.message}: a Hive need not accept it`, 'SHOULD');
    else findings.add('request', 'client', violation.rule, `${code} ${where}${explain(violation)}`);
  }
  const first = findings.list.find((f) => f.party === 'client' && f.level === 'MUST');
  return { code, ...(first ? { refusal: { rule: first.rule, exactly: first.rule === 'T5' || first.rule === 'E1' || first.rule === 'E2' } } : {}) };
}

/** The reply's HTTP form (T6, T7, T8); the reply object when there is one with a numeric resp to read further. */
function readReplyForm(reply: ReceivedReply, method: string, findings: Findings): (Record<string, unknown> & { resp: number }) | undefined {
  const unknownMethod = !HTTP_METHODS.has(method);
  if (reply.status >= 300 && reply.status < 400) findings.add('reply', 'hive', 'T7', `HTTP ${reply.status}: a Hive does not redirect protocol requests`);
  if (reply.status >= 500 && !(unknownMethod && reply.status === 501)) findings.add('reply', 'hive', 'T7', `HTTP ${reply.status}: a Hive never answers 5xx`);
  const cookie = headerValue(reply, 'set-cookie');
  if (cookie !== undefined) findings.add('cookies', 'hive', 'T8', `the reply sets a cookie: ${cookie.slice(0, 80)}`);
  if (method === 'HEAD') return undefined;
  const json = reply.json !== null && typeof reply.json === 'object' && !Array.isArray(reply.json) ? (reply.json as Record<string, unknown>) : undefined;
  // An HTTP method HTTP itself does not know may be refused by HTTP (400, 405, 501) rather than by the protocol.
  if (unknownMethod && !json && [400, 405, 501].includes(reply.status)) return undefined;
  const contentType = headerValue(reply, 'content-type') ?? '';
  if (!JSON_CONTENT_TYPE.test(contentType)) findings.add('reply', 'hive', 'T6', `Content-Type is ${JSON.stringify(contentType)}, not application/json`);
  if (!json) {
    findings.add('reply', 'hive', 'T6', reply.parseError ?? 'the reply is not a JSON object');
    return undefined;
  }
  const resp = json.resp;
  if (typeof resp !== 'number') {
    findings.add('reply', 'hive', 'T6', 'the reply holds no numeric resp');
    return undefined;
  }
  if (resp >= 0 && reply.status !== 200) findings.add('reply', 'hive', 'T7', `HTTP ${reply.status} with resp ${resp}: a reply with resp >= 0 is sent with 200`);
  // 3xx and 5xx were named above.
  if (resp < 0 && reply.status !== 200 && reply.status < 300) findings.add('reply', 'hive', 'T7', `HTTP ${reply.status}: a negative reply comes with 200 or 4xx`);
  return json as Record<string, unknown> & { resp: number };
}

function aspectOf(rule: RuleId): ExchangeAspect {
  if (rule === 'T3' || rule === 'T4' || rule === 'T5') return 'encoding';
  return rule === 'E1' || rule === 'E2' ? 'envelope' : 'request';
}

/**
 * The reply held against the code it answers: its schema, or for an unlisted code E2 and F2 (validateReply),
 * and privacy (the scanner). The reply's form (T6) was read by readReplyForm; F2 and F3 are the scanner's to say.
 */
function judgeReplyToCode(code: string, exchange: Exchange, findings: Findings): void {
  const shown = isRequestCode(code) ? code : JSON.stringify(excerpt(code));
  const named = new Set<string>();
  for (const violation of validateReceivedReply(code, exchange.reply!).violations) {
    if (violation.rule === 'F2' || violation.rule === 'F3' || violation.rule === 'T6') continue;
    // One finding per rule and place: a bad date breaks both its format and its pattern.
    if (named.has(`${violation.rule} ${violation.path}`)) continue;
    named.add(`${violation.rule} ${violation.path}`);
    findings.add(violation.rule === 'T9' ? 'dates' : violation.rule === 'E2' ? 'envelope' : 'reply', 'hive', violation.rule, `${shown} reply ${violation.path || '/'} ${explain(violation)}`);
  }
  for (const finding of scanForPrivacy({ ...exchange, code })) findings.add('privacy', 'hive', finding.rule, finding.message);
}

/**
 * Validates one recorded exchange offline: the request's encoding (T4), its
 * envelope (E1, E2) and parts against its code's schema; the reply's form (T6,
 * T7, R1) and schema; privacy (F1–F3, through the scanner every check uses);
 * cookies (T8) and dates (T9). A request that breaks a rule must be refused,
 * so a Hive that accepts it is named too. Each finding says which party broke
 * the rule: the client (its request) or the Hive (its reply).
 */
export function validateExchange(exchange: Exchange): ExchangeFinding[] {
  const findings = new Findings();
  const method = exchange.request.method.toUpperCase();
  const decoding = decodeRequestParts({ ...exchange.request, method });
  const { code, refusal } = readRequest(exchange.request, method, decoding, findings);
  const json = exchange.reply ? readReplyForm(exchange.reply, method, findings) : undefined;
  if (!json) {
    // A reply to an unlisted code is judged whatever its form: {"resp":"x"} answered it (F2), a page that is no JSON refused it wrongly (E2).
    if (exchange.reply && code !== undefined && !isRequestCode(code)) judgeReplyToCode(code, exchange, findings);
    return findings.list;
  }
  const { resp } = json;
  const answered = describeReplyCode(resp);

  // An unlisted code (E2) is judged with its reply below, as validateReply judges it (src/validator/unlisted-code.ts).
  if (refusal && refusal.rule !== 'E2') {
    const refused = refusal.exactly ? resp === RESP.BAD_REQUEST : resp < 0;
    if (!refused) findings.add(aspectOf(refusal.rule), 'hive', refusal.rule, `a request that breaks ${refusal.rule} must be refused${refusal.exactly ? ' with -1.1' : ''}; the Hive answered ${answered}`);
  }
  if (code === undefined) {
    // No code to hold the reply against. A refusal carries nothing but resp; anything else was reported as not refused.
    if (resp < 0) for (const member of Object.keys(json).filter((k) => k !== 'resp')) findings.add('privacy', 'hive', 'F3', `the refusal carries '${excerpt(member)}' beside resp`);
    return findings.list;
  }
  judgeReplyToCode(code, exchange, findings);
  const withoutKey = decoding.kind === 'parts' && typeof decoding.parts.session !== 'string';
  if (isRequestCode(code) && CODES[code].session && requestHeader(exchange.request, 'cookie') !== undefined && withoutKey && resp >= 0) {
    findings.add('cookies', 'hive', 'T8', `${code} without a session part but with a cookie was answered ${answered}: a cookie never stands in for a session key`);
  }
  return findings.list;
}
