import { explainFailure } from '../validator/evidence.js';
import { curlFor, toEvidence } from '../validator/evidence.js';
import type { Exchange } from '../client/exchange.js';
import { Secrets } from '../client/secrets.js';
import type { CheckResult, Failure, RunReport } from '../generated/schemas.js';
import { packageVersion } from '../paths.js';
import { NOT_YET_SPECIFIED } from '../protocol/rules.js';
import { countStatuses, ruleResults, verdictOf } from './verdict.js';
import { validateExchange, VALIDATIONS, type ExchangeAspect, type ExchangeFinding } from '../validator/exchange.js';
import type { SourcedExchange } from '../validator/recorded.js';

/** A recorded exchange with what the validator found in it. */
export interface ValidatedExchange extends SourcedExchange {
  readonly findings: readonly ExchangeFinding[];
}

/** Failures of one validation that carry their exchange as evidence; past this, only the message is kept. */
const EVIDENCE_PER_VALIDATION = 50;

export function validateRecorded(exchanges: readonly SourcedExchange[]): ValidatedExchange[] {
  return exchanges.map((sourced) => ({ ...sourced, findings: validateExchange(sourced.exchange) }));
}

/** The findings against the Hive: the only ones a verdict is made of. */
export function hiveFindings(findings: readonly ExchangeFinding[]): ExchangeFinding[] {
  return findings.filter((f) => f.party === 'hive');
}

/** What the clients in the traffic sent wrong: reported apart, never held against the Hive (profile §11). */
export function clientFindings(findings: readonly ExchangeFinding[]): ExchangeFinding[] {
  return findings.filter((f) => f.party === 'client');
}

/** True when the Hive breaks a MUST or an F rule in the traffic: `pame validate` then exits 1. */
export function breaksMustOrF(validated: readonly ValidatedExchange[]): boolean {
  return validated.some(({ findings }) => hiveFindings(findings).some((f) => f.level !== 'SHOULD'));
}

/** The base URLs the traffic went to: the target of a traffic report. */
function targetsOf(exchanges: readonly Exchange[]): string {
  const bases = new Set(exchanges.map(({ request }) => {
    try {
      const url = new URL(request.url);
      return url.origin + url.pathname;
    } catch {
      return request.url;
    }
  }));
  return [...bases].join(' ') || '(no exchanges)';
}

function failureOf({ source, exchange }: ValidatedExchange, finding: ExchangeFinding, withEvidence: boolean, secrets: Secrets): Failure {
  const message = secrets.redactText(`${source} (${exchange.code ?? exchange.request.method}): ${finding.message}`);
  return { rule: finding.rule, level: finding.level, message, ...(withEvidence ? { evidence: toEvidence(exchange, secrets), curl: curlFor(exchange, secrets) } : {}) };
}

/** Failures of findings picked from each exchange, the first EVIDENCE_PER_VALIDATION with their exchange. */
function failuresOf(validated: readonly ValidatedExchange[], pick: (finding: ExchangeFinding) => boolean, secrets: Secrets): Failure[] {
  return validated.flatMap((item) => item.findings.filter(pick).map((finding) => ({ item, finding })))
    .map(({ item, finding }, index) => failureOf(item, finding, index < EVIDENCE_PER_VALIDATION, secrets));
}

/**
 * The traffic's findings as a run report (schemas/run/report.json), so report.json,
 * junit.xml and summary.md are written by the same reporters as `pame run`: each
 * validation is a check (PAME-VAL-NNN) and each Hive finding one of its failures.
 * Client findings are listed apart (clientFindings) and count for no verdict.
 */
export function trafficReport(validated: readonly ValidatedExchange[], run: { startedAt: string; durationMs: number; notes: readonly string[]; complete: boolean }): RunReport {
  // The clients' passwords, session keys and tickets, learned from the whole traffic, so no exchange's evidence shows another's.
  const secrets = new Secrets();
  for (const { exchange } of validated) secrets.learn(exchange);
  const checks: CheckResult[] = (Object.keys(VALIDATIONS) as ExchangeAspect[]).map((aspect) => {
    const { id, title, rules } = VALIDATIONS[aspect];
    const failures = failuresOf(validated, (f) => f.party === 'hive' && f.aspect === aspect, secrets);
    const base = { id, title, code: '*', rules: [...rules], level: aspect === 'privacy' ? ('F' as const) : ('MUST' as const), failures, durationMs: 0 };
    if (validated.length === 0) return { ...base, status: 'skipped', message: 'no exchange to validate' };
    return failures.length > 0 ? { ...base, status: 'failed', message: explainFailure(failures[0]!) } : { ...base, status: 'passed', message: '' };
  });
  const coverage = new Map<string, string[]>();
  for (const check of checks) for (const rule of check.rules) coverage.set(rule, [...(coverage.get(rule) ?? []), check.id]);
  return {
    profile: '0.2.1',
    suiteVersion: packageVersion,
    target: targetsOf(validated.map((v) => v.exchange)),
    embedded: false,
    verdict: verdictOf(checks, run.complete),
    complete: run.complete,
    notes: [...run.notes],
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    seed: 0,
    counts: countStatuses(checks),
    checks,
    rules: ruleResults(checks, coverage),
    notYetSpecified: [...NOT_YET_SPECIFIED],
    clientFindings: failuresOf(validated, (f) => f.party === 'client', secrets),
  };
}
