import type { CheckLevel, CheckResult, RuleResult, StatusCounts, Verdict } from '../generated/schemas.js';
import { RULE_CATALOG } from '../protocol/rules.js';

/**
 * Profile §9: the worst failure decides. An F failure bans whether waived or
 * not; a MUST failure makes the Hive nonconformant; short of those, a run not
 * carried out in full (`complete` false) certifies nothing: incomplete. Waived
 * MUST failures and SHOULD failures leave it conformant with warnings.
 */
export function verdictOf(results: readonly CheckResult[], complete: boolean): Verdict {
  const levelsOf = (status: CheckResult['status']) => new Set<CheckLevel>(results.filter((r) => r.status === status).flatMap((r) => r.failures.map((f) => f.level)));
  const failed = levelsOf('failed');
  if (failed.has('F') || levelsOf('waived').has('F')) return 'bannable';
  if (failed.has('MUST')) return 'nonconformant';
  if (!complete) return 'incomplete';
  if (failed.has('SHOULD') || results.some((r) => r.status === 'waived')) return 'conformant with warnings';
  return 'conformant';
}

export const EXIT = { OK: 0, NONCONFORMANT: 1, BANNABLE: 2, NOT_CARRIED_OUT: 3 } as const;

export function countStatuses(results: readonly CheckResult[]): StatusCounts {
  const counts: StatusCounts = { passed: 0, failed: 0, skipped: 0, error: 0, timeout: 0, waived: 0 };
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
    // A broken rule is failed even where no check names it (e.g. the privacy scanner's F3 findings).
    const brokenIn = (status: CheckResult['status']) => results.some((r) => r.status === status && r.failures.some((f) => f.rule === rule.id));
    if (brokenIn('failed')) return { ...base, status: 'failed' as const };
    if (brokenIn('waived')) return { ...base, status: 'waived' as const };
    if (rule.observable === false) return { ...base, status: 'not observable' as const };
    if (checks.length === 0) return { ...base, status: 'uncovered' as const };
    const mine = results.filter((r) => checks.includes(r.id));
    if (mine.some((r) => r.status === 'error')) return { ...base, status: 'error' as const };
    if (mine.some((r) => r.status === 'timeout')) return { ...base, status: 'timeout' as const };
    if (mine.some((r) => r.status === 'passed' || r.status === 'failed')) return { ...base, status: 'passed' as const };
    return { ...base, status: 'skipped' as const };
  });
}
