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

// ---- widths: what a line takes on a terminal --------------------------------------

/** The colour codes paint() writes: zero columns wide. Hive text never holds an escape (printable() shows them). */
const SGR = /\u001b\[[0-9;]*m/y;

/** Columns a code point takes: East Asian wide and emoji two, combining marks none, the rest one. */
function columnsOf(code: number): number {
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || code === 0xfe0f) return 0;
  const wide = (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff)
    || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Splits a line at `width` columns, colour codes kept with the text they colour; the head never ends inside a wide character. */
function splitAt(line: string, width: number): { head: string; rest: string; columns: number } {
  let columns = 0;
  let i = 0;
  while (i < line.length) {
    SGR.lastIndex = i;
    const code = SGR.exec(line);
    if (code) {
      i += code[0].length;
      continue;
    }
    const point = line.codePointAt(i)!;
    const size = columnsOf(point);
    if (columns + size > width) break;
    columns += size;
    i += point > 0xffff ? 2 : 1;
  }
  return { head: line.slice(0, i), rest: line.slice(i), columns };
}

/** Columns a line takes on a terminal. */
export function displayWidth(line: string): number {
  return splitAt(line, Infinity).columns;
}

const RESET = '\u001b[0m';
const closeColour = (text: string): string => (text.includes('\u001b[') && !text.endsWith(RESET) ? text + RESET : text);

/** A line cut to `width` columns, ending in … when cut. */
export function cutToWidth(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  return closeColour(splitAt(line, Math.max(0, width - 1)).head) + '…';
}

/** A line folded into lines of at most `width` columns, at spaces where it can; continuation lines start with `indent`. */
export function foldToWidth(line: string, width: number, indent = '    '): string[] {
  const lines: string[] = [];
  let rest = line;
  let lead = '';
  while (displayWidth(lead + rest) > width) {
    const room = Math.max(1, width - lead.length);
    let { head, rest: tail } = splitAt(rest, room);
    if (head === '') {
      // Narrower than one wide character: it goes on a line of its own rather than nowhere.
      const size = rest.codePointAt(0)! > 0xffff ? 2 : 1;
      head = rest.slice(0, size);
      tail = rest.slice(size);
    }
    const space = head.lastIndexOf(' ');
    if (space > room / 3 && !tail.startsWith(' ')) {
      tail = head.slice(space + 1) + tail;
      head = head.slice(0, space);
    }
    lines.push(closeColour(lead + head.trimEnd()));
    rest = tail.trimStart();
    lead = indent;
  }
  lines.push(lead + rest);
  return lines;
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
export function progressPrinter(write: (text: string) => void, style: Style, tty: boolean, columns: () => number | undefined = () => undefined): { update(progress: Progress): void; redraw(): void; end(): void } {
  const CLEAR = '\r\u001b[2K';
  // One column short of the width: a line that fills the last column leaves some terminals waiting to wrap.
  const fit = (line: string): string => {
    const width = columns();
    return width ? cutToWidth(line, Math.max(1, width - 1)) : line;
  };
  let drawn: string | undefined;
  return {
    update(progress) {
      const line = progressLine(progress, style);
      if (!tty) return write(line + '\n');
      const lasting = progress.last.status === 'failed' || progress.last.status === 'error' || progress.last.status === 'timeout';
      write(CLEAR + fit(line) + (lasting ? '\n' : ''));
      drawn = lasting ? undefined : line;
    },
    /** After a resize: the line drawn again at the new width. */
    redraw() {
      if (tty && drawn !== undefined) write(CLEAR + fit(drawn));
    },
    end() {
      if (drawn !== undefined) write(CLEAR);
      drawn = undefined;
    },
  };
}

/** The narrowest the rules column is folded to; a terminal narrower still gets the table's lines folded whole. */
const MIN_RULES_COLUMN = 8;

/**
 * A table, first column left-aligned and the others right-aligned. Wider than
 * `width`, the column `fold` is folded onto more lines, left-aligned, so the
 * table keeps to the terminal.
 */
function table(rows: string[][], width?: number, fold = 1): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const total = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  if (width === undefined || total <= width) return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
  widths[fold] = Math.max(MIN_RULES_COLUMN, widths[fold]! - (total - width));
  return rows.flatMap((row) => {
    const folded = foldToWidth(row[fold]!, widths[fold]!, '');
    return folded.map((part, line) => row.map((cell, i) => (i === fold ? part.padEnd(widths[i]!) : line > 0 ? ' '.repeat(widths[i]!) : i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
  }).join('\n');
}

/** Request codes × rules: pass / fail / skip counts for each request code, and for checks across codes; the rules folded to fit `width`. */
export function codeTable(report: RunReport, width?: number): string {
  const rows = [['request code', 'rules', 'pass', 'fail', 'skip', 'error', 'timeout', 'waived']];
  for (const code of [...REQUEST_CODES, '*']) {
    const mine = report.checks.filter((c) => c.code === code);
    if (mine.length === 0) continue;
    const rules = [...new Set(mine.flatMap((c) => c.rules))];
    const count = (status: CheckResult['status']) => String(mine.filter((c) => c.status === status).length);
    rows.push([code === '*' ? '(across codes)' : code, rules.join(' '), count('passed'), count('failed'), count('skipped'), count('error'), count('timeout'), count('waived')]);
  }
  return table(rows, width);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const VERDICT_COLOR = { conformant: 'green', 'conformant with warnings': 'yellow', incomplete: 'yellow', nonconformant: 'red', bannable: 'red' } as const;
const DECISION_COLOR = { allow: 'green', warn: 'yellow', incomplete: 'yellow', nonconformant: 'red', ban: 'red' } as const;

/**
 * The end of a run as a person reads it: the table, every failure with its
 * evidence and curl line, the verdict. Given the terminal's `width`, no line
 * is longer: the table folds its rules column and long lines fold.
 */
export function renderSummary(report: RunReport, style: Style, extra: { stale?: readonly string[]; expired?: readonly string[]; width?: number } = {}): string {
  const out: string[] = ['', codeTable(report, extra.width), ''];
  const bad = report.checks.filter((c) => c.status === 'failed' || c.status === 'error');
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
  const width = extra.width;
  return (width === undefined ? out : out.flatMap((line) => line.split('\n').flatMap((part) => foldToWidth(part, width)))).join('\n');
}
