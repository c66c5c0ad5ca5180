import type { Evidence, RunReport } from '../generated/schemas.js';

export const EXCHANGES_JSONL = 'exchanges.jsonl';

/** One recorded exchange: the evidence a check kept, and why it kept it. */
export interface RecordedExchange {
  readonly check: string;
  /** 'failure': the exchange that shows a broken rule; 'last': the check's last exchange, kept when nothing failed. */
  readonly role: 'failure' | 'last';
  readonly rule?: string;
  readonly evidence: Evidence;
  readonly curl?: string;
}

/**
 * The exchanges the run recorded, in report order: for each check every
 * failure's exchange, or its last exchange when none failed. The certificate
 * vouches for them by digest.
 */
export function recordedExchanges(report: RunReport): RecordedExchange[] {
  return report.checks.flatMap((check): RecordedExchange[] => {
    const failures = check.failures.flatMap((f) => (f.evidence ? [{ check: check.id, role: 'failure' as const, rule: f.rule, evidence: f.evidence, ...(f.curl ? { curl: f.curl } : {}) }] : []));
    if (failures.length > 0) return failures;
    return check.evidence ? [{ check: check.id, role: 'last', evidence: check.evidence, ...(check.curl ? { curl: check.curl } : {}) }] : [];
  });
}

/** exchanges.jsonl: one recorded exchange per line. */
export function renderExchanges(report: RunReport): string {
  return recordedExchanges(report).map((exchange) => JSON.stringify(exchange) + '\n').join('');
}
