import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReports } from '../../src/reports/index.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/runner/options.js';
import { passingReport, sampleReport } from './sample-report.js';

const outcome = (report = sampleReport()) => ({ report, exitCode: 2, stale: [], expired: [], harnessErrors: [] });

async function written(reporters: string[], report = sampleReport()): Promise<string[]> {
  const reportDir = await mkdtemp(join(tmpdir(), 'pame-reports-'));
  await writeReports(outcome(report), { ...DEFAULT_RUN_OPTIONS, reportDir, reporters });
  return (await readdir(reportDir)).sort();
}

describe('--reporter', () => {
  it('writes only the outputs chosen', async () => {
    expect(await written(['junit'])).toEqual(['junit.xml']);
    expect(await written(['console', 'summary'])).toEqual(['summary.md']);
    expect(await written(['json', 'allure'])).toEqual(['allure-results', 'report.json']);
  });

  it('the certificate brings report.json, the exchanges, and ban evidence or a badge by verdict', async () => {
    expect(await written(['certificate'])).toEqual(['ban-evidence.json', 'certificate.json', 'certificate.pub.pem', 'exchanges.jsonl', 'report.json']);
    expect(await written(['certificate'], passingReport())).toEqual(['badge.svg', 'certificate.json', 'certificate.pub.pem', 'exchanges.jsonl', 'report.json']);
  });

  it('by default writes every file report', async () => {
    expect(await written([...DEFAULT_RUN_OPTIONS.reporters])).toEqual(['allure-results', 'ban-evidence.json', 'certificate.json', 'certificate.pub.pem', 'exchanges.jsonl', 'junit.xml', 'report.json', 'summary.md']);
  });
});
