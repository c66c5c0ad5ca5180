import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CheckResult } from '../generated/schemas.js';

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly last: CheckResult;
}

/**
 * A vitest reporter that only collects: each test's check result arrives in its
 * meta. Formatting is the reporters' job (src/reports), never the runner's.
 */
export class ResultCollector implements Reporter {
  readonly results = new Map<string, CheckResult>();
  readonly harnessErrors: string[] = [];
  /** Time the workers spent importing suite files and registering their checks, summed over files. */
  collectMs = 0;
  /** The first check's start and the last check's end (epoch ms), as vitest timed them in its workers. */
  checksSpan?: { start: number; end: number };

  constructor(
    private readonly total: number,
    private readonly onProgress?: (progress: Progress) => void,
  ) {}

  onTestModuleCollected(testModule: TestModule): void {
    this.collectMs += testModule.diagnostic().collectDuration;
  }

  onTestCaseResult(testCase: TestCase): void {
    this.extendChecksSpan(testCase);
    const result = testCase.meta().pame ?? this.fromVitest(testCase);
    this.results.set(result.id, result);
    this.onProgress?.({ done: this.results.size, total: this.total, last: result });
  }

  onTestRunEnd(_modules: unknown, unhandledErrors: ReadonlyArray<{ message?: string; stack?: string }>): void {
    for (const error of unhandledErrors) this.harnessErrors.push(error.stack ?? error.message ?? String(error));
  }

  private extendChecksSpan(testCase: TestCase): void {
    const timing = testCase.diagnostic();
    if (!timing) return;
    const end = timing.startTime + timing.duration;
    this.checksSpan = { start: Math.min(timing.startTime, this.checksSpan?.start ?? Infinity), end: Math.max(end, this.checksSpan?.end ?? 0) };
  }

  /** A test that ended without a check result (vitest timed it out or the file failed to load). */
  private fromVitest(testCase: TestCase): CheckResult {
    const id = testCase.name.split(' ')[0] ?? testCase.name;
    const errors = testCase.result().errors?.map((e) => e.message).join('\n') ?? 'no result';
    return { id, title: testCase.name.slice(id.length + 1), code: '*', rules: [], level: 'MUST', status: 'error', message: `the runner broke: ${errors}`, failures: [], durationMs: testCase.diagnostic()?.duration ?? 0 };
  }
}
