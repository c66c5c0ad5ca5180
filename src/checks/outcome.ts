import type { Exchange } from '../client/exchange.js';
import type { CheckLevel } from '../generated/schemas.js';
import { RULES, type RuleId } from '../protocol/rules.js';

/** A broken rule, found while a check runs. */
export interface Finding {
  readonly rule: RuleId;
  readonly level: CheckLevel;
  readonly message: string;
  readonly exchange?: Exchange;
}

/**
 * Findings one check keeps for each rule: a hostile Hive can make every member
 * of a reply a finding. Per rule, so a flood under one rule never pushes a
 * finding under another (an F one) out of the result.
 */
export const MAX_FINDINGS_PER_RULE = 20;

/**
 * The longest finding message or note kept: steps quote what the Hive sent
 * (reply bodies, member names, headers), and one bound here serves them all.
 */
export const MAX_MESSAGE_CHARS = 2_000;

/** A check (or rule) that failed, erred or ran out of its budget: what a diff calls failing and a rerun repeats. */
export function isFailingStatus(status: string): boolean {
  return status === 'failed' || status === 'error' || status === 'timeout';
}

/** Thrown to end a check because the Hive broke a rule. */
export class CheckFailure extends Error {
  constructor(readonly finding: Finding) {
    super(`[${finding.rule}] ${finding.message}`);
  }
}

/** Thrown to end a check the arrangement cannot perform; the reason is reported. */
export class CheckSkip extends Error {}

/**
 * The level a finding counts at: a SHOULD check only ever warns; otherwise the
 * rule's own level decides, so an F rule broken inside any check is bannable.
 */
export function findingLevel(rule: RuleId, checkLevel: CheckLevel): CheckLevel {
  if (checkLevel === 'SHOULD') return 'SHOULD';
  return RULES.get(rule)?.level ?? checkLevel;
}
