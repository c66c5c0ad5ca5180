import type { BanEvidence, BanFailure, RunReport } from '../generated/schemas.js';
import { RULES } from '../protocol/rules.js';

export const BAN_EVIDENCE_JSON = 'ban-evidence.json';

/**
 * For a bannable run, exactly its standing failures at level F (the ones that
 * make it bannable), each with its exchange; undefined for any other verdict.
 */
export function banEvidence(report: RunReport): BanEvidence | undefined {
  if (report.verdict !== 'bannable') return undefined;
  const failures: BanFailure[] = report.checks
    .filter((check) => check.status === 'failed')
    .flatMap((check) =>
      check.failures
        .filter((failure) => failure.level === 'F')
        .map((failure) => ({
          check: check.id,
          title: check.title,
          rule: failure.rule,
          summary: RULES.get(failure.rule)?.summary ?? '',
          message: failure.message,
          ...(failure.evidence ? { evidence: failure.evidence } : {}),
          ...(failure.curl ? { curl: failure.curl } : {}),
        })),
    );
  const [first, ...rest] = failures;
  if (!first) throw new Error('a bannable report without a failure at level F: the verdict and the failures disagree');
  return { profile: report.profile, suiteVersion: report.suiteVersion, target: report.target, startedAt: report.startedAt, seed: report.seed, verdict: 'bannable', failures: [first, ...rest] };
}
