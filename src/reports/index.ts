import type { RunOptions } from '../runner/options.js';
import type { RunOutcome } from '../runner/run.js';
import { writeAllureResults } from './allure.js';
import { loadSigner, writeCertificate, type Signer } from './certificate.js';
import { writeReportFile } from './files.js';
import { REPORT_JSON, renderJsonReport } from './json.js';
import { JUNIT_XML, renderJunit } from './junit.js';
import { SUMMARY_MD, renderMarkdownSummary } from './summary.js';
import { writeTrafficHar } from './traffic-har.js';

/**
 * The outputs `--reporter` can choose; console is printed, the rest are files in
 * the report directory: report.json, junit.xml, summary.md, allure-results/, and
 * certificate (certificate.json with exchanges.jsonl, badge.svg or
 * ban-evidence.json; it writes report.json too, since it vouches for it).
 */
export const REPORTERS = ['console', 'json', 'junit', 'summary', 'allure', 'certificate'] as const;

/** Writes every chosen file report and returns their paths. Without a signer the certificate is signed by the --signing-key, else an ephemeral key. */
export async function writeReports(outcome: RunOutcome, options: Pick<RunOptions, 'reporters' | 'reportDir' | 'signingKey' | 'timeoutMs'>, signer?: Signer): Promise<string[]> {
  const { report } = outcome;
  const chosen = new Set(options.reporters);
  const dir = options.reportDir;
  const written: string[] = [];
  const reportJson = renderJsonReport(report);
  if (chosen.has('json') || chosen.has('certificate')) written.push(await writeReportFile(dir, REPORT_JSON, reportJson));
  if (chosen.has('junit')) written.push(await writeReportFile(dir, JUNIT_XML, renderJunit(report)));
  if (chosen.has('summary')) written.push(await writeReportFile(dir, SUMMARY_MD, renderMarkdownSummary(report)));
  if (chosen.has('allure')) written.push(await writeAllureResults(report, dir));
  if (chosen.has('certificate')) {
    written.push(...(await writeCertificate(report, reportJson, dir, { signer: signer ?? (await loadSigner(options.signingKey)), tlsTimeoutMs: options.timeoutMs })));
  }
  if (outcome.trafficDir) written.push(await writeTrafficHar(outcome.trafficDir, dir));
  return written;
}
