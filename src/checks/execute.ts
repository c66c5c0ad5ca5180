import { setMaxListeners } from 'node:events';
import type { CheckResult, Failure } from '../generated/schemas.js';
import type { Check } from './check.js';
import { CheckContext } from './context.js';
import type { CheckEnvironment, CheckSettings } from './environment.js';
import type { Secrets } from '../client/secrets.js';
import { curlFor, describeExchange, explainFailure, toEvidence } from '../validator/evidence.js';
import { CheckFailure, CheckSkip, MAX_FINDINGS_PER_RULE, type Finding } from './outcome.js';

/** Why a check cannot run in this arrangement, or undefined when it can. */
export function missingRequirement(check: Check, env: CheckEnvironment): string | undefined {
  const s: CheckSettings = env.settings;
  for (const need of check.needs ?? []) {
    switch (need) {
      case 'registration':
        if (s.accounts.length > 0) return 'the Hive has closed registration (--user accounts given), and this check registers users';
        break;
      case 'peer':
        if (!s.peer) return 'the runner has no peer server in this run, so it cannot play the other Hives';
        break;
      case 'second-source-address':
        if (!s.secondSourceAddress) return 'needs a second source address to reach the Hive from; there is one only when the Hive is on loopback (127.0.0.2)';
        break;
      case 'https':
        if (new URL(s.target).protocol !== 'https:') return 'the target is served over plain http, so there is no TLS to examine';
        break;
      case 'session-expiry':
        if (s.sessionIdleMs === undefined) return 'idle expiry takes 30 minutes, past any run; pass --session-idle-ms N if the Hive is configured with a shorter one';
        break;
    }
  }
  if (!env.domain && check.code !== 'Epost_ping' && check.code !== '*') {
    return "the Hive's domain is unknown: Epost_ping did not name it and no --domain was given";
  }
  return undefined;
}

function toFailure(finding: Finding, secrets: Secrets): Failure {
  return {
    rule: finding.rule,
    level: finding.level,
    message: secrets.redactText(finding.message),
    ...(finding.exchange ? { evidence: toEvidence(finding.exchange, secrets), curl: curlFor(finding.exchange, secrets) } : {}),
  };
}

/**
 * Runs one check and turns whatever happens into a result: passed, failed (the
 * Hive broke a rule), skipped (the arrangement cannot perform it), timeout (it
 * overran its budget: its work is cancelled, the sessions it opened are
 * closed) or error (the runner itself broke). Never throws.
 */
export async function executeCheck(check: Check, env: CheckEnvironment): Promise<CheckResult> {
  const started = Date.now();
  const base = { id: check.id, title: check.title, code: check.code, rules: [...check.rules], level: check.level };
  const missing = missingRequirement(check, env);
  if (missing) return { ...base, status: 'skipped', message: missing, failures: [], durationMs: 0 };

  const cancel = new AbortController();
  // Every request in flight listens for the budget's end; a check may well have more than ten at once.
  setMaxListeners(0, cancel.signal);
  const t = new CheckContext(check, env, cancel.signal);
  const budget = check.timeoutMs ?? env.settings.checkTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<'overrun'>((resolve) => (timer = setTimeout(resolve, budget, 'overrun')));
  let ending: unknown;
  const ran = check.run(t).then(
    () => 'ran' as const,
    (error: unknown) => ((ending = error), 'ran' as const),
  );
  const outcome = await Promise.race([ran, overrun]);
  clearTimeout(timer);
  // What the check finds after its budget is not its result: the findings are taken now.
  const findings = outcome === 'overrun' ? [...t.findings] : [...(ending instanceof CheckFailure ? [ending.finding] : []), ...t.findings];
  const step = t.step;
  if (outcome === 'overrun') {
    cancel.abort('the check ran out of its budget');
    if (findings.length > 0) t.note(`after these failures the check overran its budget of ${budget} ms and was cancelled: ${step}`);
  }
  if (t.findingsLeftOut > 0) t.note(`${t.findingsLeftOut} more findings left out: a check keeps ${MAX_FINDINGS_PER_RULE} a rule`);
  await t.closeSessions().catch(() => undefined);

  const { secrets } = t;
  const failures = findings.map((finding) => toFailure(finding, secrets));
  const last = t.exchanges.at(-1);
  // A failed check's evidence is its first failure's own exchange, or none: the
  // last exchange may be another request (Promise.all) and would mislead. Only a
  // check without failures shows its last exchange, which reports label as such.
  const shown = failures.length > 0 ? failures[0] : last ? { evidence: toEvidence(last, secrets), curl: curlFor(last, secrets) } : undefined;
  const evidenceOf = shown?.evidence ? { evidence: shown.evidence, curl: shown.curl! } : {};
  const notes = t.notes.map((note) => secrets.redactText(note));
  const common = { ...base, failures, ...evidenceOf, ...(notes.length ? { notes } : {}), durationMs: Date.now() - started };

  // Failures found before the budget ran out stand; a check that found none did not finish, which is no verdict on any rule.
  if (failures.length > 0) return { ...common, status: 'failed', message: explainFailure(failures[0]!) };
  if (outcome === 'overrun') return { ...common, status: 'timeout', message: `the check did not finish within its budget of ${budget} ms and was cancelled: ${step}` };
  if (ending instanceof CheckSkip) return { ...common, status: 'skipped', message: secrets.redactText(ending.message) };
  if (ending !== undefined) {
    const err = ending as Error;
    const context = last ? `\n  last exchange: ${describeExchange(last, secrets)}` : '';
    return { ...common, status: 'error', message: secrets.redactText(`the runner broke: ${err.stack ?? String(err)}${context}`) };
  }
  return { ...common, status: 'passed', message: '' };
}

/**
 * Runs checks against one environment as a run does: the others concurrently,
 * then the audits over what they did. Results in the order of `checks`.
 */
export async function executeChecks(checks: readonly Check[], env: CheckEnvironment): Promise<CheckResult[]> {
  const results = new Map<Check, CheckResult>();
  const run = async (phase: readonly Check[]) => {
    for (const [i, result] of (await Promise.all(phase.map((check) => executeCheck(check, env)))).entries()) results.set(phase[i]!, result);
  };
  await run(checks.filter((check) => !check.audit));
  await run(checks.filter((check) => check.audit));
  return checks.map((check) => results.get(check)!);
}
