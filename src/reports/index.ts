import type { RunOptions } from '../runner/options.js';
import type { RunOutcome } from '../runner/run.js';
import { writeJsonReport } from './json.js';

/** The outputs `--reporter` can choose; console is printed, the rest are files in the report directory. */
export const REPORTERS = ['console', 'json', 'junit', 'summary'] as const;

/** Writes every chosen file report and returns their paths. */
export async function writeReports(outcome: RunOutcome, options: RunOptions): Promise<string[]> {
  const written: string[] = [];
  if (options.reporters.includes('json')) written.push(await writeJsonReport(outcome.report, options.reportDir));
  return written;
}
