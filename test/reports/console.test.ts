import { describe, expect, it } from 'vitest';
import { progressPrinter, renderSummary, styleFor } from '../../src/reports/console.js';
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
