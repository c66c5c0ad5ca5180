import { isFailingStatus } from '../checks/outcome.js';
import type { CheckResult, RuleResult, RunReport, Verdict } from '../generated/schemas.js';
import { notYetSpecifiedLine } from '../protocol/rules.js';
import { ruleFamilies } from './families.js';
import { fenced, markdownText } from './markdown.js';

export const SUMMARY_MD = 'summary.md';

const VERDICT_MARK: Record<Verdict, string> = { conformant: '✅', 'conformant with warnings': '⚠️', incomplete: '⏸️', nonconformant: '❌', bannable: '⛔' };

/** A Markdown table; columns of counts are right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (numeric.has(i) ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

const RULE_STATUSES: readonly RuleResult['status'][] = ['passed', 'failed', 'waived', 'skipped', 'error', 'timeout', 'uncovered', 'not observable'];

function familyTable(report: RunReport): string[] {
  const rows = ruleFamilies(report.rules).map(({ family, section, rules }) => {
    const count = (status: RuleResult['status']) => String(rules.filter((r) => r.status === status).length);
    const failed = rules.filter((r) => r.status === 'failed').map((r) => r.id);
    return [`${family} (${markdownText(section)})`, String(rules.length), ...RULE_STATUSES.map(count), failed.join(' ') || '—'];
  });
  const header = ['rule family', 'rules', ...RULE_STATUSES, 'failed rules'];
  return table(header, rows, new Set(header.map((_, i) => i).slice(1, -1)));
}

function failureSection(check: CheckResult): string {
  const unfinished = check.status === 'error' || check.status === 'timeout';
  const heading = `### ${unfinished ? '⚠️' : '✗'} ${check.id} \\[${check.level}\\] ${markdownText(check.title)}`;
  if (unfinished) return [heading, fenced(check.message)].join('\n\n');
  const failures = check.failures.map((f) => `- **${f.rule}** (${f.level}): ${markdownText(f.message)}${f.curl ? `\n\n${fenced(f.curl, 'sh')}` : ''}`);
  return [heading, ...failures].join('\n\n');
}

function folded(title: string, lines: readonly string[]): string[] {
  return lines.length > 0 ? [`<details>\n<summary>${title}</summary>\n\n${lines.join('\n')}\n\n</details>`] : [];
}

/** The waivers in force, shown open (not folded): a waived failure is what stands between this run and a clean verdict. */
function waiverSection(report: RunReport): string[] {
  const shown = report.checks.filter((r) => r.status === 'waived' || r.waiver?.state === 'refused');
  if (shown.length === 0) return [];
  const line = (r: CheckResult) => `- ${r.id} [${r.level}]${r.waiver?.state === 'refused' ? ' **refused** (an F-level failure cannot be waived)' : ''}: ${markdownText(r.waiver?.reason ?? '')} (until ${markdownText(r.waiver?.expires ?? '?')})`;
  return [`### Waivers${report.waivers ? ` (file sha256 \`${report.waivers.sha256}\`)` : ''}`, shown.map(line).join('\n')];
}

/**
 * summary.md, for a CI job summary: the verdict and decision, a table of rule
 * families, then every failure with its curl line, the waivers in force; skips
 * and notes folded away below.
 */
export function renderMarkdownSummary(report: RunReport): string {
  const c = report.counts;
  const facts = [
    ['target', `\`${report.target}\`${report.embedded ? ' (embedded reference Hive)' : ''}${report.insecure ? ' (TLS not verified: --insecure)' : ''}`],
    ...(report.decision ? [['decision', `**${report.decision.action}** ${report.decision.reasons.map((r) => `\`${r}\``).join(' ')}`]] : []),
    ['checks', `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.error} errors, ${c.timeout} timed out, ${c.waived} waived`],
    ['suite', `pame-conformance ${report.suiteVersion}, seed ${report.seed}, started ${report.startedAt}`],
  ];
  const bad = report.checks.filter((check) => isFailingStatus(check.status));
  const uncovered = report.rules.filter((r) => r.status === 'uncovered').map((r) => r.id);
  const sections = [
    `## ${VERDICT_MARK[report.verdict]} PAME ${report.profile}: ${report.verdict}${report.complete || report.verdict === 'incomplete' ? '' : ' (incomplete run)'}`,
    table(['', ''], facts).join('\n'),
    '### Rule families',
    familyTable(report).join('\n'),
    ...(bad.length > 0 ? ['## Failures', ...bad.map(failureSection)] : []),
    ...folded(`${c.skipped} skipped`, report.checks.filter((r) => r.status === 'skipped').map((r) => `- ${r.id}: ${markdownText(r.message)}`)),
    ...waiverSection(report),
    ...folded('notes', [...(report.notes ?? []).map((n) => `- ${markdownText(n)}`), ...(uncovered.length > 0 ? [`- rules no check covers: ${uncovered.join(' ')}`] : [])]),
    ...(report.notYetSpecified?.length ? [`_${markdownText(notYetSpecifiedLine(report.notYetSpecified))}_`] : []),
  ];
  return sections.join('\n\n') + '\n';
}
