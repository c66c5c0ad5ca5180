import type { CheckLevel, CheckResult, RuleResult, StatusCounts, Verdict } from '../generated/schemas.js';
import { RULE_CATALOG } from '../protocol/rules.js';

/** Profile §9: the worst failure decides. Waived checks do not count; SHOULD failures only warn. */
export function verdictOf(results: readonly CheckResult[]): Verdict {
  const levels = new Set<CheckLevel>(results.filter((r) => r.status === 'failed').flatMap((r) => r.failures.map((f) => f.level)));
  if (levels.has('F')) return 'bannable';
  if (levels.has('MUST')) return 'nonconformant';
  if (levels.has('SHOULD')) return 'conformant with warnings';
  return 'conformant';
}

export const EXIT = { OK: 0, NONCONFORMANT: 1, BANNABLE: 2, NOT_CARRIED_OUT: 3 } as const;

export function exitCodeOf(verdict: Verdict, strict: boolean): number {
  switch (verdict) {
    case 'bannable':
      return EXIT.BANNABLE;
    case 'nonconformant':
      return EXIT.NONCONFORMANT;
    case 'conformant with warnings':
      return strict ? EXIT.NONCONFORMANT : EXIT.OK;
    case 'conformant':
      return EXIT.OK;
  }
}

export function countStatuses(results: readonly CheckResult[]): StatusCounts {
  const counts: StatusCounts = { passed: 0, failed: 0, skipped: 0, error: 0, waived: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

/**
 * Every rule of the catalog with the checks that cover it (all declared checks,
 * run or not) and its status in this run. A rule no check covers is 'uncovered',
 * never passed.
 */
export function ruleResults(results: readonly CheckResult[], coverage: ReadonlyMap<string, readonly string[]>): RuleResult[] {
  return RULE_CATALOG.rules.map((rule) => {
    const checks = [...(coverage.get(rule.id) ?? [])];
    const base = { id: rule.id, level: rule.level, checks };
    if (rule.observable === false) return { ...base, status: 'not observable' as const };
    if (checks.length === 0) return { ...base, status: 'uncovered' as const };
    const mine = results.filter((r) => checks.includes(r.id) || r.failures.some((f) => f.rule === rule.id));
    const brokenIn = (status: CheckResult['status']) => mine.some((r) => r.status === status && r.failures.some((f) => f.rule === rule.id));
    if (brokenIn('failed')) return { ...base, status: 'failed' as const };
    if (brokenIn('waived')) return { ...base, status: 'waived' as const };
    const covering = mine.filter((r) => checks.includes(r.id));
    if (covering.some((r) => r.status === 'error')) return { ...base, status: 'error' as const };
    if (covering.some((r) => r.status === 'passed' || r.status === 'failed')) return { ...base, status: 'passed' as const };
    return { ...base, status: 'skipped' as const };
  });
}
