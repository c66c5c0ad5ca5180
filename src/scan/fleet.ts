// fleet.json's content: the per-target entry made from a run's report, the
// scan's exit code, and the orders the fleet outputs list targets in.
import type { FamilyStatus, FleetTarget, RuleResult, RunReport } from '../generated/schemas.js';
import { familyOf, RULE_CATALOG } from '../protocol/rules.js';
import { ruleFamilies } from '../reports/families.js';
import { EXIT } from '../runner/verdict.js';

/** Every rule family letter, in catalog order: the columns of the fleet tables. */
export const RULE_FAMILY_LETTERS: readonly string[] = [...new Set(RULE_CATALOG.rules.map((rule) => familyOf(rule.id)))];

/** A family's cell: its worst rule status. */
function familyStatus(rules: readonly RuleResult[]): FamilyStatus {
  const has = (status: RuleResult['status']) => rules.some((rule) => rule.status === status);
  if (has('failed')) return 'failed';
  if (has('error')) return 'error';
  if (has('timeout')) return 'timeout';
  if (has('waived')) return 'waived';
  if (has('passed')) return 'passed';
  return 'skipped';
}

/** A finished run as one line of the fleet. */
export function fleetTargetOf(url: string, domain: string | undefined, reportDir: string, report: RunReport, exit: number): FleetTarget {
  return {
    url,
    domain: domain ?? null,
    verdict: report.verdict,
    decision: report.decision?.action ?? null,
    exit: exit as FleetTarget['exit'],
    reportDir,
    counts: report.counts,
    failedRules: report.rules.filter((rule) => rule.status === 'failed').map((rule) => rule.id),
    families: Object.fromEntries(ruleFamilies(report.rules).map(({ family, rules }) => [family, familyStatus(rules)])),
    durationMs: report.durationMs,
  };
}

/** A target whose run could not be carried out (unreachable, bad arguments): exit 3, nothing judged. */
export function abortedTarget(url: string, domain: string | undefined, reportDir: string, error: string, durationMs: number): FleetTarget {
  return {
    url,
    domain: domain ?? null,
    verdict: 'not carried out',
    decision: null,
    exit: EXIT.NOT_CARRIED_OUT,
    reportDir,
    counts: { passed: 0, failed: 0, skipped: 0, error: 0, timeout: 0, waived: 0 },
    failedRules: [],
    families: {},
    error,
    durationMs,
  };
}

/** How bad an exit code is: bannable, then nonconformant, then not carried out, then fine. */
const SEVERITY: Readonly<Record<number, number>> = { [EXIT.BANNABLE]: 3, [EXIT.NONCONFORMANT]: 2, [EXIT.NOT_CARRIED_OUT]: 1, [EXIT.OK]: 0 };

/** The scan's exit code: the worst of its targets'. */
export function fleetExitCode(targets: readonly FleetTarget[]): number {
  return targets.reduce<number>((worst, target) => (SEVERITY[target.exit]! > SEVERITY[worst]! ? target.exit : worst), EXIT.OK);
}

/** The targets worst first (bannable at the top), then by URL: the order of the tables. */
export function worstFirst(targets: readonly FleetTarget[]): FleetTarget[] {
  return [...targets].sort((a, b) => SEVERITY[b.exit]! - SEVERITY[a.exit]! || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** fleet.json's order: by URL, so that a scan and the merge of its shards write the same file. */
export function byUrl(targets: readonly FleetTarget[]): FleetTarget[] {
  return [...targets].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}
