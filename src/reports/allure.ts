import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { explainFailure } from '../validator/evidence.js';
import type { CheckLevel, CheckResult, CheckStatus, Evidence, Failure, RunReport } from '../generated/schemas.js';
import { RULES } from '../protocol/rules.js';
import { checkFamily } from './families.js';
import { markdownText } from './markdown.js';
import { httpTranscript } from './transcript.js';

export const ALLURE_RESULTS = 'allure-results';

// The parts of Allure's test result format (https://allurereport.org/docs/how-it-works-test-result-file/) this project writes.
type AllureStatus = 'passed' | 'failed' | 'broken' | 'skipped';
interface AllureAttachment {
  readonly name: string;
  readonly source: string;
  readonly type: string;
}
interface AllureStatusDetails {
  readonly message?: string;
  readonly trace?: string;
  readonly known?: boolean;
}
interface AllureStep {
  readonly name: string;
  readonly status: AllureStatus;
  readonly stage: 'finished';
  readonly statusDetails: AllureStatusDetails;
  readonly attachments: AllureAttachment[];
  readonly steps: AllureStep[];
  readonly parameters: [];
  readonly start: number;
  readonly stop: number;
}
export interface AllureResult extends Omit<AllureStep, 'steps'> {
  readonly uuid: string;
  readonly historyId: string;
  readonly testCaseId: string;
  readonly fullName: string;
  readonly description: string;
  readonly labels: { name: string; value: string }[];
  readonly links: [];
  readonly steps: AllureStep[];
}

/** One file of the results directory: a result, or an attachment it names. */
export interface AllureFile {
  readonly name: string;
  readonly content: string;
}

const STATUS: Record<CheckStatus, AllureStatus> = { passed: 'passed', failed: 'failed', error: 'broken', timeout: 'broken', skipped: 'skipped', waived: 'skipped' };
const SEVERITY: Record<CheckLevel, string> = { F: 'blocker', MUST: 'critical', SHOULD: 'minor' };

/** The check's rules in the project's words (schemas/rules.json), and any rule it found broken beyond them. */
export function ruleDescription(check: CheckResult): string {
  const line = (id: string) => {
    const rule = RULES.get(id);
    return rule ? `- **${id}** (${rule.level}, §${rule.section}): ${rule.summary}` : `- **${id}**`;
  };
  const beyond = [...new Set(check.failures.map((f) => f.rule))].filter((id) => !check.rules.includes(id));
  const out = [`**${check.id}** (${check.level}, ${check.code === '*' ? 'across request codes' : check.code}): ${check.title}`, '', 'Verifies:', '', ...check.rules.map(line)];
  if (beyond.length > 0) out.push('', 'Also found broken while it ran:', '', ...beyond.map(line));
  if (check.waiver) out.push('', `Waiver (${check.waiver.state ?? 'applied'}, until ${markdownText(check.waiver.expires)}): ${markdownText(check.waiver.reason)}${check.waiver.link ? ` ${markdownText(check.waiver.link)}` : ''}`);
  // Notes can quote what the Hive sent: shown as text, never as markup.
  if (check.notes?.length) out.push('', 'Notes:', '', ...check.notes.map((n) => `- ${markdownText(n)}`));
  return out.join('\n');
}

function statusDetails(check: CheckResult): AllureStatusDetails {
  switch (check.status) {
    case 'passed':
      return {};
    case 'failed':
      return { message: check.message.split('\n')[0], trace: check.failures.map(explainFailure).join('\n\n') };
    case 'waived':
      return { message: `waived until ${check.waiver?.expires ?? '?'}: ${check.waiver?.reason ?? ''}`, trace: check.message, known: true };
    default:
      return { message: check.message };
  }
}

/**
 * Allure results for a run, made from the report itself rather than by a
 * vitest reporter: one result per check (check id, rule ids and level as
 * labels, the rules' text as description), one step per failure with the
 * exchange and curl line attached, the last exchange attached when none failed.
 */
export function allureFiles(report: RunReport): AllureFile[] {
  const files: AllureFile[] = [];
  const start = Date.parse(report.startedAt);
  const attach = (uuid: string, name: string, content: string, type = 'text/plain'): AllureAttachment => {
    const source = `${uuid}-${files.length}-attachment.txt`;
    files.push({ name: source, content });
    return { name, source, type };
  };
  const exchange = (uuid: string, title: string, evidence: Evidence | undefined, curl: string | undefined) => [
    ...(evidence ? [attach(uuid, `${title}: request and reply`, httpTranscript(evidence))] : []),
    ...(curl ? [attach(uuid, `${title}: curl`, curl + '\n')] : []),
  ];
  for (const check of report.checks) {
    const uuid = randomUUID();
    const stop = start + Math.round(check.durationMs);
    const failureStep = (failure: Failure): AllureStep => ({
      name: `[${failure.rule}] (${failure.level}) ${failure.message.split('\n')[0]}`,
      status: check.status === 'waived' ? 'skipped' : 'failed',
      stage: 'finished',
      statusDetails: { message: failure.message, trace: explainFailure(failure) },
      attachments: exchange(uuid, failure.rule, failure.evidence, failure.curl),
      steps: [],
      parameters: [],
      start,
      stop,
    });
    const historyId = createHash('sha256').update(check.id).digest('hex').slice(0, 32);
    const result: AllureResult = {
      uuid,
      historyId,
      testCaseId: historyId,
      name: `${check.id} ${check.title}`,
      fullName: `pame.${checkFamily(check.id)}.${check.id}`,
      description: ruleDescription(check),
      status: STATUS[check.status],
      stage: 'finished',
      statusDetails: statusDetails(check),
      labels: [
        { name: 'parentSuite', value: `PAME ${report.profile}` },
        { name: 'suite', value: `PAME-${checkFamily(check.id)}` },
        { name: 'subSuite', value: check.code === '*' ? 'across request codes' : check.code },
        { name: 'check', value: check.id },
        { name: 'level', value: check.level },
        { name: 'severity', value: SEVERITY[check.level] },
        ...check.rules.map((rule) => ({ name: 'rule', value: rule })),
        ...[check.level, ...check.rules].map((tag) => ({ name: 'tag', value: tag })),
      ],
      links: [],
      steps: check.failures.map(failureStep),
      attachments: check.failures.length === 0 ? exchange(uuid, 'last exchange', check.evidence, check.curl) : [],
      parameters: [],
      start,
      stop,
    };
    files.push({ name: `${uuid}-result.json`, content: JSON.stringify(result, null, 2) });
  }
  const environment = { target: report.target, profile: report.profile, suiteVersion: report.suiteVersion, seed: report.seed, verdict: report.verdict, decision: report.decision?.action ?? '' };
  files.push({ name: 'environment.properties', content: Object.entries(environment).map(([k, v]) => `${k}=${String(v).replace(/[\\\n:=]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}`).join('\n') + '\n' });
  return files;
}

/** Writes the Allure results directory afresh (an earlier run's results would mix in otherwise); returns its path. */
export async function writeAllureResults(report: RunReport, reportDir: string): Promise<string> {
  const dir = join(reportDir, ALLURE_RESULTS);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await Promise.all(allureFiles(report).map((file) => writeFile(join(dir, file.name), file.content)));
  return dir;
}
