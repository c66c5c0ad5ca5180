// What the bench scripts share about a run: the settings of an in-process one,
// and the report.json a CLI run leaves.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CheckSettings } from '../../src/checks/environment.js';
import type { RunReport } from '../../src/generated/schemas.js';
import { readRunReport } from '../../src/reports/html.js';
import { REPORT_JSON } from '../../src/reports/json.js';
import { DEFAULT_RUN_OPTIONS as D } from '../../src/runner/options.js';

export const BENCH_DOMAIN = 'hive.pame.test';

/** The run's defaults against `target`, with users named so an operator can spot them, and `overrides` on top. */
export function benchSettings(target: string, overrides: Partial<CheckSettings> = {}): CheckSettings {
  return {
    target,
    domain: BENCH_DOMAIN,
    timeoutMs: D.timeoutMs,
    maxReplyBytes: D.maxReplyBytes,
    concurrency: D.concurrency,
    insecure: false,
    checkTimeoutMs: 600_000,
    userPrefix: `pame-bench-${randomBytes(3).toString('hex')}-`,
    accounts: [],
    only: [],
    skip: [],
    seed: 42,
    fuzzRuns: D.fuzzRuns,
    ...overrides,
  };
}

/** The report.json a run wrote into `dir`, or undefined when it wrote none (or none readable). */
export async function readReport(dir: string): Promise<RunReport | undefined> {
  return readRunReport(join(dir, REPORT_JSON)).catch(() => undefined);
}
