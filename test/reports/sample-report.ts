// A fixed report for the reporters' tests: one check of every status, a MUST
// failure, an F failure, a SHOULD warning, and a reply a hostile Hive could
// send (markup, control characters, a lone surrogate, backticks). Nothing in
// it depends on time, so renderings of it can be snapshotted.
import type { CheckResult, Evidence, RunReport } from '../../src/generated/schemas.js';
import { NOT_YET_SPECIFIED } from '../../src/protocol/rules.js';
import { DEFAULT_POLICY, decide } from '../../src/runner/policy.js';
import { countStatuses, ruleResults, verdictOf } from '../../src/runner/verdict.js';

const TARGET = 'http://127.0.0.1:8080/';

function exchange(body: string, replyBody: string, status = 200): Evidence {
  return {
    code: 'Epost_ping',
    request: { method: 'POST', url: TARGET, headers: { 'content-type': 'application/json' }, body },
    reply: { status, headers: { 'content-type': 'application/json' }, body: replyBody, bytes: Buffer.byteLength(replyBody), truncated: false },
    durationMs: 3,
  };
}

export const HOSTILE_TEXT = '<script>alert(1)</script> ``` | *bold* \u0001\u0008 \ud800 ]]> & done';

const curl = (body: string) => `curl -sS --max-redirs 0 -X POST -H 'content-type: application/json' --data-binary '${body}' '${TARGET}'`;

export const SAMPLE_CHECKS: CheckResult[] = [
  { id: 'PAME-PING-001', title: 'ping answers with the domain', code: 'Epost_ping', rules: ['Q1'], level: 'MUST', status: 'passed', message: '', failures: [], evidence: exchange('{"w":"Epost_ping"}', '{"resp":1}'), curl: curl('{"w":"Epost_ping"}'), durationMs: 12 },
  {
    id: 'PAME-TRN-004', title: 'bad JSON gets -1.1', code: '*', rules: ['T4'], level: 'MUST', status: 'failed',
    message: `[T4] resp was 1, expected -1.1\n  got:  200 {"resp":1,"echo":"\u001b[2J\u001b]0;owned\u0007${HOSTILE_TEXT}"}`,
    failures: [{ rule: 'T4', level: 'MUST', message: 'resp was 1, expected -1.1', evidence: exchange('{"w":', `{"resp":1,"echo":"${HOSTILE_TEXT}"}`), curl: curl('{"w":') }],
    durationMs: 20,
  },
  {
    id: 'PAME-PRIV-001', title: 'unlisted codes get -1.1', code: '*', rules: ['F2', 'E2'], level: 'F', status: 'failed',
    message: '[F2] Epost_user_info answered with data',
    failures: [
      { rule: 'F2', level: 'F', message: 'Epost_user_info answered with data', evidence: exchange('{"w":"Epost_user_info"}', '{"resp":1,"ip":"10.0.0.1"}'), curl: curl('{"w":"Epost_user_info"}') },
      { rule: 'F3', level: 'F', message: 'member ip is not listed for this code', evidence: exchange('{"w":"Epost_user_info"}', '{"resp":1,"ip":"10.0.0.1"}'), curl: curl('{"w":"Epost_user_info"}') },
    ],
    durationMs: 30,
  },
  {
    id: 'PAME-TRN-010', title: 'TLS 1.2 or newer', code: '*', rules: ['T10'], level: 'SHOULD', status: 'failed',
    message: '[T10] TLS 1.0 offered', failures: [{ rule: 'T10', level: 'SHOULD', message: 'TLS 1.0 offered' }], durationMs: 5,
  },
  { id: 'PAME-SES-009', title: 'idle sessions expire', code: 'Epost_session_open', rules: ['U4'], level: 'MUST', status: 'skipped', message: 'idle expiry takes 30 minutes, past any run', failures: [], durationMs: 0 },
  { id: 'PAME-SES-001', title: 'a session opens', code: 'Epost_session_open', rules: ['U1'], level: 'MUST', status: 'error', message: 'the runner broke: TypeError: x is undefined', failures: [], durationMs: 1 },
  {
    id: 'PAME-MSG-002', title: 'subjects up to 200 characters', code: 'Epost_msg_send', rules: ['M1'], level: 'MUST', status: 'waived',
    message: '[M1] a 200-character subject was refused', failures: [{ rule: 'M1', level: 'MUST', message: 'a 200-character subject was refused' }],
    waiver: { reason: 'fix in release 2.1', expires: '2999-01-01', state: 'applied' }, durationMs: 8,
  },
];

/** The sample as a full report.json, with verdict, counts, rule results and decision computed as the runner does. */
export function sampleReport(checks: readonly CheckResult[] = SAMPLE_CHECKS, overrides: Partial<RunReport> = {}): RunReport {
  const coverage = new Map<string, string[]>();
  for (const check of checks) for (const rule of check.rules) coverage.set(rule, [...(coverage.get(rule) ?? []), check.id]);
  const counts = countStatuses(checks);
  const complete = counts.error === 0;
  const arrangement = { peer: 'reachable' as const, secondSourceAddress: '127.0.0.2' };
  return {
    profile: '0.2.1',
    suiteVersion: '0.1.0',
    target: TARGET,
    embedded: false,
    insecure: false,
    verdict: verdictOf(checks, complete),
    complete,
    selection: { only: [], skip: [], selected: checks.length, deselected: 0 },
    fuzzRuns: 100,
    policy: { name: DEFAULT_POLICY.name! },
    arrangement,
    notes: [],
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 4321,
    seed: 42,
    peerMap: 'alpha.pame.test=http://127.0.0.1:47100/alpha/',
    counts,
    checks: [...checks],
    rules: ruleResults(checks, coverage),
    notYetSpecified: [...NOT_YET_SPECIFIED],
    decision: decide(checks, DEFAULT_POLICY, complete),
    ...overrides,
  };
}

/** A report with nothing wrong in it: every check passed. */
export function passingReport(): RunReport {
  return sampleReport(SAMPLE_CHECKS.filter((check) => check.status === 'passed'));
}
