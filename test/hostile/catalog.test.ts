// Every check of the catalog against every hostile Hive, in-process: whatever
// a Hive answers, each check ends as passed, failed or skipped, never as an
// error (the runner broke), and within its budget.
import { describe, expect, it } from 'vitest';
import { HOSTILE_HIVES } from '../../fixtures/hostile/hives.js';
import { ALL_CHECKS } from '../../suites/catalog.js';
import { explain } from '../support/run-checks.js';
import { against, TIMEOUT_MS } from './against.js';

/** The budget of checks that set none: some wait longer than the request deadline on purpose (a relay's step 2). */
const CHECK_BUDGET_MS = 4_000;

describe.concurrent.each(HOSTILE_HIVES.map((h) => [h.name, h] as const))('the catalog against the hostile Hive %s', (_name, hostile) => {
  it('no check ends in an error, and each ends within its budget', async () => {
    const { results } = await against(hostile, ALL_CHECKS, { concurrency: 64, checkTimeoutMs: CHECK_BUDGET_MS });
    const broken = results.filter((r) => r.status === 'error');
    expect(broken, explain(broken)).toEqual([]);
    expect(results.some((r) => r.status === 'failed')).toBe(true);
    const budgetOf = (id: string): number => ALL_CHECKS.find((check) => check.id === id)?.timeoutMs ?? CHECK_BUDGET_MS;
    // A check cut off at its budget still closes its sessions, each close bounded by the request deadline.
    const overran = results.filter((r) => r.durationMs > budgetOf(r.id) + TIMEOUT_MS + 1_500);
    expect(overran, explain(overran)).toEqual([]);
  });
});
