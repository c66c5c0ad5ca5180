// What each fuzz property demands of a reply. A judge ends with a
// CheckFailure (through the check's matchers) when the Hive broke a rule.
import type { CheckContext } from '../checks/context.js';
import { respOf, type Exchange } from '../client/exchange.js';
import { ANY_REPLY_CODE } from '../protocol/reply-codes.js';
import type { RuleId } from '../protocol/rules.js';
import { unlistedCodeFindings } from '../validator/unlisted-code.js';
import { validateReceivedReply } from '../validator/validate.js';


/**
 * T6, T7, R1: whatever was sent, a reply came; not a 5xx; a JSON object with
 * a numeric resp from the table; and, for a request code, a reply its
 * schema allows.
 */
export function judgeReply(t: CheckContext, exchange: Exchange): void {
  if (exchange.failure) t.fail('T7', `no reply (${exchange.failure.kind}: ${exchange.failure.message}): a Hive answers whatever it is sent, and does not break`, exchange);
  t.expectResp(exchange, ANY_REPLY_CODE, 'R1', 'a fuzz request');
}

/** The request broke `rule` (T4, E1, E4, M1, M2…), so it must not succeed. */
export function judgeRefused(t: CheckContext, exchange: Exchange, rule: RuleId, fault: string): void {
  t.check(respOf(exchange) !== 1, rule, `the request is invalid (${fault}) yet was answered resp 1`, exchange);
}

/** F3: no reply member outside the reply's schema. */
export function judgeMembers(t: CheckContext, exchange: Exchange): void {
  if (exchange.code === undefined) return;
  const extra = exchange.reply && validateReceivedReply(exchange.code, exchange.reply).violations.find((v) => v.rule === 'F3');
  if (extra) t.fail('F3', `the ${exchange.code} reply carries a member its schema does not list: ${extra.path || '/'} ${extra.message}`, exchange);
}

/**
 * E2, F2: a request code outside §5 gets -1.1 and nothing else, judged as the
 * privacy suite judges it (src/validator/unlisted-code.ts). It runs before
 * judgeReply, so {"resp":"x"} is the F2 it is rather than an R1.
 */
export function judgeUnknownCode(t: CheckContext, exchange: Exchange): void {
  if (!exchange.reply) return;
  const [first] = unlistedCodeFindings(exchange.reply.json);
  if (first) t.fail(first.rule, `the unknown request code ${JSON.stringify(exchange.code)} ${first.message}`, exchange);
}
