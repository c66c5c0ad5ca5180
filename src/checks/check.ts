import type { CheckLevel } from '../generated/schemas.js';
import type { RequestCode } from '../protocol/codes.js';
import { RULES, type RuleId } from '../protocol/rules.js';
import type { CheckContext } from './context.js';

export type { CheckLevel };

/** What a check needs from the arrangement; without it the check is skipped with the reason. */
export type Requirement =
  /** The Hive lets the runner register users (Epost_user_register). */
  | 'registration'
  /** The runner's peer server plays the other Hives (countersign). */
  | 'peer'
  /** A second source address to send from (127.0.0.2 on loopback). */
  | 'second-source-address'
  /** The target is served over https. */
  | 'https'
  /** The Hive's idle session expiry is short enough to observe (--session-idle-ms). */
  | 'session-expiry';

/**
 * A conformance check: data (id, rules, level, code, title) with behaviour (run).
 * Checks know nothing of the test framework; the suites bind them to vitest and
 * the runner reads their results.
 */
export interface Check {
  /** Stable id, never positional: PAME-<FAMILY>-<NNN>. */
  readonly id: string;
  readonly title: string;
  /** The profile rule ids the check verifies. */
  readonly rules: readonly RuleId[];
  /** MUST: a failure is nonconformant; SHOULD: a warning; F: a failure is bannable. */
  readonly level: CheckLevel;
  /** The request code the check exercises, or '*' across codes. */
  readonly code: RequestCode | '*';
  readonly needs?: readonly Requirement[];
  /** Overall budget for the check; defaults to the run's check budget. */
  readonly timeoutMs?: number;
  run(t: CheckContext): Promise<void>;
}

export const CHECK_ID = /^PAME-[A-Z]+-[0-9]{3}$/;

/** Declares a family's checks, refusing malformed ids and unknown rule ids at load time. */
export function defineChecks(checks: readonly Check[]): readonly Check[] {
  for (const check of checks) {
    if (!CHECK_ID.test(check.id)) throw new Error(`check id ${check.id} is not of the form PAME-FAMILY-NNN`);
    const unknown = check.rules.filter((rule) => !RULES.has(rule));
    if (check.rules.length === 0 || unknown.length > 0) throw new Error(`check ${check.id} names unknown rules: ${unknown.join(', ') || '(none)'}`);
  }
  return checks;
}

/** Whether an id is selected by --only / --skip lists of ids or prefixes. */
export function selects(patterns: readonly string[], id: string): boolean {
  return patterns.some((pattern) => id === pattern || id.startsWith(pattern));
}
