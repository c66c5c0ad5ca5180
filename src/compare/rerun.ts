// `pame run --rerun-failed DIR`: the failed and errored checks of an earlier
// run, against the same Hive with the same seed, as a partial run.
import { join } from 'node:path';
import { isFailingStatus } from '../checks/outcome.js';
import { readRunReport } from '../reports/html.js';
import { REPORT_JSON } from '../reports/json.js';
import type { RunOptions } from '../runner/options.js';
import { RunAbort } from '../runner/run.js';

/** What a rerun changes in the run's options; the Hive given with --hive, if any, wins over the earlier report's. */
export async function rerunOptions(dir: string, options: RunOptions): Promise<RunOptions> {
  const report = await readRunReport(join(dir, REPORT_JSON)).catch((error: Error) => Promise.reject(new RunAbort(error.message)));
  const again = report.checks.filter((check) => isFailingStatus(check.status)).map((check) => check.id);
  if (again.length === 0) throw new RunAbort(`no check failed, errored or timed out in ${dir}: nothing to rerun`);
  const { hive: _earlier, ...rest } = options;
  const hive = options.hive ?? (report.embedded ? undefined : report.target);
  return { ...rest, ...(hive ? { hive } : {}), only: again, skip: [], seed: report.seed, rerunOf: `${dir} (${report.startedAt})` };
}
