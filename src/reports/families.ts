import type { CheckResult, RuleResult } from '../generated/schemas.js';
import { RULES, familyOf } from '../protocol/rules.js';

/** A check's family, the middle of its id: PAME-SES-004 → SES. */
export function checkFamily(id: string): string {
  return id.split('-')[1] ?? id;
}

/** The report's checks grouped by family, in the order they first appear. */
export function checksByFamily(checks: readonly CheckResult[]): Map<string, CheckResult[]> {
  const groups = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const family = checkFamily(check.id);
    groups.set(family, [...(groups.get(family) ?? []), check]);
  }
  return groups;
}

export interface RuleFamily {
  /** The rule id's letter: T, A, E, R, U, Q, M, G, C, F. */
  readonly family: string;
  /** The profile section it comes from, e.g. "1 Transport". */
  readonly section: string;
  readonly rules: readonly RuleResult[];
}

/** The report's rule results grouped by rule family, in catalog order. */
export function ruleFamilies(rules: readonly RuleResult[]): RuleFamily[] {
  const families = new Map<string, RuleFamily>();
  for (const rule of rules) {
    const family = familyOf(rule.id);
    const known = families.get(family);
    families.set(family, { family, section: known?.section ?? RULES.get(rule.id)?.section ?? family, rules: [...(known?.rules ?? []), rule] });
  }
  return [...families.values()];
}
