import type { CheckResult, RunReport } from '../generated/schemas.js';
import { REQUEST_CODES } from '../protocol/codes.js';
import { notYetSpecifiedLine } from '../protocol/rules.js';
import type { Progress } from '../runner/collector.js';
import { checkFamily } from './families.js';

export interface Style {
  readonly color: boolean;
}

/** Colour on a terminal unless NO_COLOR is set, or anywhere with FORCE_COLOR; plain text for CI logs and pipes. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  if (env.NO_COLOR) return { color: false };
  return { color: stream.isTTY === true || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') };
}

const CODES = { red: 31, green: 32, yellow: 33, grey: 90, bold: 1 } as const;
function paint(style: Style, color: keyof typeof CODES, text: string): string {
  return style.color ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

/** Text a Hive sent, made harmless for a terminal: control characters (escape sequences above all) are shown, not obeyed; lone surrogates become U+FFFD. */
export function printable(text: string): string {
  return text.toWellFormed().replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The longest line the summary prints of a message; report.json and summary.md keep it whole. */
const MAX_LINE = 300;
function clipped(line: string): string {
  return line.length <= MAX_LINE ? line : `${line.slice(0, MAX_LINE)}… (${line.length - MAX_LINE} more characters in report.json)`;
}

const STATUS_COLOR: Record<CheckResult['status'], keyof typeof CODES> = { passed: 'green', failed: 'red', error: 'red', timeout: 'red', skipped: 'yellow', waived: 'grey' };

/** One progress line per finished check: count done / total, the family, the outcome. */
export function progressLine(progress: Progress, style: Style): string {
  const { last } = progress;
  const family = checkFamily(last.id);
  const status = paint(style, STATUS_COLOR[last.status], last.status.padEnd(7));
  return `[${String(progress.done).padStart(String(progress.total).length)}/${progress.total}] ${family.padEnd(5)} ${status} ${last.id} ${last.title}`;
}

/**
 * Shows progress as checks finish. On a terminal one line is redrawn in place
 * and only failures and errors stay on screen; elsewhere (CI logs) every check
 * gets its own plain line.
 */
export function progressPrinter(write: (text: string) => void, style: Style, tty: boolean): { update(progress: Progress): void; end(): void } {
  const CLEAR = '\r\u001b[2K';
  let drawn = false;
  return {
    update(progress) {
      const line = progressLine(progress, style);
      if (!tty) return write(line + '\n');
      const lasting = progress.last.status === 'failed' || progress.last.status === 'error' || progress.last.status === 'timeout';
      write(CLEAR + line + (lasting ? '\n' : ''));
      drawn = !lasting;
    },
    end() {
      if (drawn) write(CLEAR);
      drawn = false;
    },
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

/** Request codes × rules: pass / fail / skip counts for each request code, and for checks across codes. */
export function codeTable(report: RunReport): string {
  const rows = [['request code', 'rules', 'pass', 'fail', 'skip', 'error', 'timeout', 'waived']];
  for (const code of [...REQUEST_CODES, '*']) {
    const mine = report.checks.filter((c) => c.code === code);
    if (mine.length === 0) continue;
    const rules = [...new Set(mine.flatMap((c) => c.rules))];
    const count = (status: CheckResult['status']) => String(mine.filter((c) => c.status === status).length);
    rows.push([code === '*' ? '(across codes)' : code, rules.join(' '), count('passed'), count('failed'), count('skipped'), count('error'), count('timeout'), count('waived')]);
  }
  return table(rows);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const VERDICT_COLOR = { conformant: 'green', 'conformant with warnings': 'yellow', incomplete: 'yellow', nonconformant: 'red', bannable: 'red' } as const;
const DECISION_COLOR = { allow: 'green', warn: 'yellow', incomplete: 'yellow', nonconformant: 'red', ban: 'red' } as const;

/** The end of a run as a person reads it: the table, every failure with its evidence and curl line, the verdict. */
export function renderSummary(report: RunReport, style: Style, extra: { stale?: readonly string[]; expired?: readonly string[] } = {}): string {
  const out: string[] = ['', codeTable(report), ''];
  const bad = report.checks.filter((c) => c.status === 'failed' || c.status === 'error' || c.status === 'timeout');
  for (const check of bad) {
    out.push(paint(style, 'red', `✗ ${check.id} [${check.level}] ${check.title}`));
    out.push(...printable(check.message).split('\n').map((line) => `    ${clipped(line)}`));
    for (const failure of check.failures.slice(1)) out.push(`    also [${failure.rule}] ${clipped(printable(failure.message))}`);
  }
  const skipped = report.checks.filter((c) => c.status === 'skipped');
  if (skipped.length > 0) {
    out.push('', paint(style, 'yellow', `${skipped.length} skipped:`));
    for (const check of skipped) out.push(`  - ${check.id}: ${printable(check.message)}`);
  }
  for (const check of report.checks.filter((c) => c.status === 'waived')) out.push(paint(style, 'yellow', `waived: ${check.id} [${check.level}] until ${check.waiver?.expires ?? '?'}: ${printable(check.waiver?.reason ?? '')}`));
  for (const line of extra.stale ?? []) out.push(paint(style, 'yellow', `stale waiver: ${line}`));
  for (const line of extra.expired ?? []) out.push(paint(style, 'red', `expired waiver: ${line}`));
  for (const note of report.notes ?? []) out.push(paint(style, 'yellow', `note: ${printable(note)}`));
  if (report.insecure) out.push(paint(style, 'yellow', `TLS certificates were not verified (--insecure): this run does not show the Hive's TLS is sound`));
  const uncovered = report.rules.filter((r) => r.status === 'uncovered').map((r) => r.id);
  if (uncovered.length > 0) out.push(paint(style, 'yellow', `rules no check covers: ${uncovered.join(' ')}`));
  if (report.notYetSpecified?.length) out.push(paint(style, 'grey', notYetSpecifiedLine(report.notYetSpecified)));
  const c = report.counts;
  out.push('', `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.error} errors, ${c.waived} waived in ${seconds(report.durationMs)} (seed ${report.seed})`);
  const t = report.timings;
  if (t) out.push(`time: ${seconds(t.startupMs)} start-up, ${seconds(t.collectMs)} collection (summed over suite files), ${seconds(t.checksMs)} checks, ${seconds(t.runnerCpuMs)} runner CPU`);
  out.push(paint(style, 'bold', `verdict: ${paint(style, VERDICT_COLOR[report.verdict], report.verdict)}${report.complete || report.verdict === 'incomplete' ? '' : ' (incomplete run)'}`));
  if (report.decision) out.push(`decision: ${paint(style, DECISION_COLOR[report.decision.action], report.decision.action)} (${report.decision.reasons.join(', ')})`);
  return out.join('\n');
}
