import type { CheckLevel } from '../generated/schemas.js';
import { familyOf, RULES } from '../protocol/rules.js';
import type { CheckContext } from './context.js';
import type { CheckSpec } from './spec.js';

export type { CheckLevel };
export type { CheckSpec, Requirement } from './spec.js';

/**
 * A conformance check: data (id, rules, level, code, title) with behaviour (run).
 * Checks know nothing of the test framework; the suites bind them to vitest and
 * the runner reads their results.
 */
export interface Check<Id extends string = string> extends CheckSpec {
  readonly id: Id;
  run(t: CheckContext): Promise<void>;
}

export const CHECK_ID = /^PAME-[A-Z]+-[0-9]{3}$/;

/**
 * Declares a family's checks, refusing malformed ids and unknown rule ids at
 * load time. The ids stay literal types, so the catalog can name its ids as a type.
 */
export function defineChecks<const Id extends string>(checks: readonly Check<Id>[]): readonly Check<Id>[] {
  for (const check of checks) {
    if (!CHECK_ID.test(check.id)) throw new Error(`check id ${check.id} is not of the form PAME-FAMILY-NNN`);
    const unknown = check.rules.filter((rule) => !RULES.has(rule));
    if (check.rules.length === 0 || unknown.length > 0) throw new Error(`check ${check.id} names unknown rules: ${unknown.join(', ') || '(none)'}`);
  }
  return checks;
}

/**
 * Declares a suite: its name (suites/<name>.test.ts binds it to vitest), its title
 * and its checks, declared as defineChecks does, ids kept as literal types.
 */
export function defineSuite<const Id extends string>(name: string, title: string, checks: readonly Check<Id>[]): Suite<Id> {
  return { name, title, checks: defineChecks(checks) };
}

/** Whether an id is selected by --only / --skip lists of ids or prefixes. */
export function selects(patterns: readonly string[], id: string): boolean {
  return patterns.some((pattern) => id === pattern || id.startsWith(pattern));
}

/** Only the checks --only and --skip select. */
export function selectedChecks(checks: readonly Check[], selection: { readonly only: readonly string[]; readonly skip: readonly string[] }): Check[] {
  return checks.filter((check) => (selection.only.length === 0 || selects(selection.only, check.id)) && !selects(selection.skip, check.id));
}

/** One suite file's checks: suites/<name>.test.ts binds them to vitest. */
export interface Suite<Id extends string = string> {
  readonly name: string;
  readonly title: string;
  readonly checks: readonly Check<Id>[];
}

/** What a run chooses from: the suites, and which checks verify each rule (for the report's rules section). */
export interface Catalog {
  readonly suites: readonly Suite[];
  readonly coverage: ReadonlyMap<string, readonly string[]>;
}

export interface RuleSelection {
  /** Rule ids (T4) or families (T); empty: any. */
  readonly rules: readonly string[];
  /** Empty: any. */
  readonly levels: readonly string[];
}

/** Whether a check names one of the rules (or a rule of one of the families) and has one of the levels. */
export function matchesRuleSelection(check: Check, { rules, levels }: RuleSelection): boolean {
  const byRule = rules.length === 0 || check.rules.some((rule) => rules.includes(rule) || rules.includes(familyOf(rule)));
  return byRule && (levels.length === 0 || levels.includes(check.level));
}

/**
 * --rules and --level as --skip entries: the ids of the checks they leave out.
 * Every selection then reaches the runner as only/skip, the one place the run
 * learns it was not a whole run.
 */
export function ruleSelectionAsSkip(checks: readonly Check[], selection: RuleSelection): string[] {
  return checks.filter((check) => !matchesRuleSelection(check, selection)).map((check) => check.id);
}
