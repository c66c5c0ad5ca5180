import { describe, expect, it } from 'vitest';
import { codeTable, cutToWidth, displayWidth, foldToWidth, progressPrinter, renderSummary, styleFor } from '../../src/reports/console.js';
import { SAMPLE_CHECKS, sampleReport } from './sample-report.js';

describe('the terminal summary', () => {
  it('renders a fixed report the same way every time, plain', async () => {
    const text = renderSummary(sampleReport(), { color: false }, { stale: ['PAME-X-001: no such check'], expired: [] });
    expect(text).not.toContain('\u001b[');
    await expect(text).toMatchFileSnapshot('__snapshots__/summary.plain.txt');
  });

  it('renders it in colour for a terminal', async () => {
    const text = renderSummary(sampleReport(), { color: true });
    expect(text).toContain('\u001b[31m✗ PAME-TRN-004 [MUST] bad JSON gets -1.1\u001b[0m');
    // The Hive's reply tried to clear the screen and retitle the terminal: it is shown, not obeyed.
    expect(text).not.toMatch(/\u001b\[2J|\u001b\]|\u0007/);
    expect(text).toContain('\\x1b[2J\\x1b]0;owned\\x07');
    await expect(text).toMatchFileSnapshot('__snapshots__/summary.color.txt');
  });

  it('cuts a long line of a failure (an 8 KiB curl line) to a readable length, pointing to report.json', () => {
    const long = { ...SAMPLE_CHECKS[1]!, message: `[T11] body refused\n  curl: curl --data-binary '${'x'.repeat(5000)}'` };
    const lines = renderSummary(sampleReport([long]), { color: false }).split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(400);
    expect(lines.find((line) => line.includes('curl:'))).toMatch(/… \(\d+ more characters in report\.json\)$/);
  });

  it('says where the time went when the report has timings', () => {
    const timings = { startupMs: 1_260, collectMs: 5_400, checksMs: 13_380, runnerCpuMs: 16_800 };
    const lines = renderSummary({ ...sampleReport(), timings }, { color: false }).split('\n');
    expect(lines).toContain('time: 1.3 s start-up, 5.4 s collection (summed over suite files), 13.4 s checks, 16.8 s runner CPU');
    expect(renderSummary(sampleReport(), { color: false })).not.toContain('time:');
  });

  it('says when TLS certificates were not verified, and only then', () => {
    expect(renderSummary({ ...sampleReport(), insecure: true }, { color: false })).toContain('TLS certificates were not verified (--insecure)');
    expect(renderSummary({ ...sampleReport(), insecure: false }, { color: false })).not.toContain('--insecure');
  });

  it('uses colour on a terminal unless NO_COLOR, and in a pipe only with FORCE_COLOR', () => {
    expect(styleFor({ isTTY: true }, {}).color).toBe(true);
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).color).toBe(false);
    expect(styleFor({ isTTY: false }, {}).color).toBe(false);
    expect(styleFor({}, { FORCE_COLOR: '1' }).color).toBe(true);
  });
});

describe('progress', () => {
  const progressOf = (done: number) => ({ done, total: SAMPLE_CHECKS.length, last: SAMPLE_CHECKS[done - 1]! });

  it('prints one plain line per check when not on a terminal (CI)', () => {
    let out = '';
    const printer = progressPrinter((text) => (out += text), { color: false }, false);
    for (let done = 1; done <= SAMPLE_CHECKS.length; done++) printer.update(progressOf(done));
    printer.end();
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(SAMPLE_CHECKS.length);
    expect(lines[1]).toBe('[2/7] TRN   failed  PAME-TRN-004 bad JSON gets -1.1');
    expect(out).not.toContain('\r');
  });

  it('on a terminal redraws one line and keeps only failures and errors on screen', () => {
    let out = '';
    const printer = progressPrinter((text) => (out += text), { color: false }, true);
    for (let done = 1; done <= SAMPLE_CHECKS.length; done++) printer.update(progressOf(done));
    printer.end();
    const kept = out.split('\n').map((line) => line.split('\r\u001b[2K').at(-1)).filter((line) => line);
    expect(kept.map((line) => line!.split(/\s+/)[3])).toEqual(['PAME-TRN-004', 'PAME-PRIV-001', 'PAME-TRN-010', 'PAME-SES-001']);
    expect(out.endsWith('\r\u001b[2K')).toBe(true);
  });
});

describe('terminal width', () => {
  const progressOf = (done: number) => ({ done, total: SAMPLE_CHECKS.length, last: SAMPLE_CHECKS[done - 1]! });

  it.each([80, 120, 200])('keeps every line of the summary within %i columns, losing no rule', (width) => {
    const long = { ...SAMPLE_CHECKS[1]!, message: `[T11] body refused\n  curl: curl --data-binary '${'x'.repeat(500)}'` };
    const report = sampleReport([long, ...SAMPLE_CHECKS.slice(2)]);
    for (const style of [{ color: false }, { color: true }]) {
      const lines = renderSummary(report, style, { width }).split('\n');
      expect(lines.filter((line) => displayWidth(line) > width)).toEqual([]);
      const table = codeTable(report, width);
      for (const rule of new Set(report.checks.flatMap((c) => c.rules))) expect(table).toMatch(new RegExp(`\\b${rule}\\b`));
    }
  });

  it('folds the rules column of a table wider than the terminal onto more lines', () => {
    const rules = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'E1', 'E2', 'E3', 'E4', 'A1', 'A2', 'A3', 'F1', 'F2', 'F3', 'F4', 'F5'];
    const wide = SAMPLE_CHECKS.map((check, i) => ({ ...check, rules: i === 0 ? rules : check.rules }));
    const report = sampleReport(wide);
    const unfolded = codeTable(report).split('\n');
    expect(Math.max(...unfolded.map((line) => line.length))).toBeGreaterThan(80);
    const folded = codeTable(report, 80).split('\n');
    expect(folded.length).toBeGreaterThan(unfolded.length);
    expect(Math.max(...folded.map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(folded.join(' ').split(/\s+/).filter((word) => rules.includes(word)).sort()).toEqual(expect.arrayContaining([...rules].sort()));
  });

  it('leaves the summary as it was when there is no width (not a terminal)', () => {
    expect(renderSummary(sampleReport(), { color: false }, {})).toBe(renderSummary(sampleReport(), { color: false }));
  });

  it('cuts each redrawn progress line to one column short of the width, and redraws at the new width after a resize', () => {
    let out = '';
    let width = 120;
    const printer = progressPrinter((text) => (out += text), { color: true }, true, () => width);
    for (let done = 1; done <= SAMPLE_CHECKS.length; done++) printer.update(progressOf(done));
    const drawn = (text: string) => text.split(/\r\u001b\[2K|\n/).filter((part) => part.length > 0);
    expect(drawn(out).filter((part) => displayWidth(part) > width - 1)).toEqual([]);
    width = 30;
    out = '';
    printer.redraw();
    expect(out.startsWith('\r\u001b[2K')).toBe(true);
    expect(displayWidth(drawn(out)[0]!)).toBeLessThanOrEqual(29);
    expect(drawn(out)[0]!.endsWith('…')).toBe(true);
    printer.end();
  });

  it('counts colour codes as nothing and East Asian wide characters as two columns', () => {
    expect(displayWidth('\u001b[31mfailed\u001b[0m')).toBe(6);
    expect(displayWidth('名前')).toBe(4);
    expect(cutToWidth('\u001b[31mfailed badly\u001b[0m', 7)).toBe('\u001b[31mfailed\u001b[0m…');
    expect(displayWidth(cutToWidth('名前名前名前', 5))).toBeLessThanOrEqual(5);
    for (const line of foldToWidth('名前'.repeat(40), 9)) expect(displayWidth(line)).toBeLessThanOrEqual(9);
  });
});
