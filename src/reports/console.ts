import type { CheckResult, RunReport } from '../generated/schemas.js';
import { REQUEST_CODES } from '../protocol/codes.js';
import type { Progress } from '../runner/collector.js';

export interface Style {
  readonly color: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, grey: 90, bold: 1 } as const;
function paint(style: Style, color: keyof typeof CODES, text: string): string {
  return style.color ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

const STATUS_COLOR: Record<CheckResult['status'], keyof typeof CODES> = { passed: 'green', failed: 'red', error: 'red', skipped: 'yellow', waived: 'grey' };

/** One progress line per finished check: count done / total, the family, the outcome. */
export function progressLine(progress: Progress, style: Style): string {
  const { last } = progress;
  const family = last.id.split('-')[1] ?? '';
  const status = paint(style, STATUS_COLOR[last.status], last.status.padEnd(7));
  return `[${String(progress.done).padStart(String(progress.total).length)}/${progress.total}] ${family.padEnd(5)} ${status} ${last.id} ${last.title}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

/** Request codes × rules: pass / fail / skip counts for each request code, and for checks across codes. */
export function codeTable(report: RunReport): string {
  const rows = [['request code', 'rules', 'pass', 'fail', 'skip', 'error']];
  for (const code of [...REQUEST_CODES, '*']) {
    const mine = report.checks.filter((c) => c.code === code);
    if (mine.length === 0) continue;
    const rules = [...new Set(mine.flatMap((c) => c.rules))];
    const count = (status: CheckResult['status']) => String(mine.filter((c) => c.status === status).length);
    rows.push([code === '*' ? '(across codes)' : code, rules.join(' '), count('passed'), count('failed'), count('skipped'), count('error')]);
  }
  return table(rows);
}

const VERDICT_COLOR = { conformant: 'green', 'conformant with warnings': 'yellow', nonconformant: 'red', bannable: 'red' } as const;

/** The end of a run as a person reads it: the table, every failure with its evidence and curl line, the verdict. */
export function renderSummary(report: RunReport, style: Style, extra: { stale?: readonly string[]; expired?: readonly string[] } = {}): string {
  const out: string[] = ['', codeTable(report), ''];
  const bad = report.checks.filter((c) => c.status === 'failed' || c.status === 'error');
  for (const check of bad) {
    out.push(paint(style, 'red', `✗ ${check.id} [${check.level}] ${check.title}`));
    out.push(...check.message.split('\n').map((line) => `    ${line}`));
    for (const failure of check.failures.slice(1)) out.push(`    also [${failure.rule}] ${failure.message}`);
  }
  const skipped = report.checks.filter((c) => c.status === 'skipped');
  if (skipped.length > 0) {
    out.push('', paint(style, 'yellow', `${skipped.length} skipped:`));
    for (const check of skipped) out.push(`  - ${check.id}: ${check.message}`);
  }
  for (const line of extra.stale ?? []) out.push(paint(style, 'yellow', `stale waiver: ${line}`));
  for (const line of extra.expired ?? []) out.push(paint(style, 'red', `expired waiver: ${line}`));
  for (const note of report.notes ?? []) out.push(paint(style, 'yellow', `note: ${note}`));
  const uncovered = report.rules.filter((r) => r.status === 'uncovered').map((r) => r.id);
  if (uncovered.length > 0) out.push(paint(style, 'yellow', `rules no check covers: ${uncovered.join(' ')}`));
  const c = report.counts;
  out.push('', `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.error} errors, ${c.waived} waived in ${(report.durationMs / 1000).toFixed(1)} s (seed ${report.seed})`);
  out.push(paint(style, 'bold', `verdict: ${paint(style, VERDICT_COLOR[report.verdict], report.verdict)}${report.complete ? '' : ' (incomplete run)'}`));
  return out.join('\n');
}
