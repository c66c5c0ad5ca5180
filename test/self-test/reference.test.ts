import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/generated/schemas.js';
import { createHive } from '../../src/hive/index.js';
import { ALL_CHECKS } from '../../suites/catalog.js';
import { explain } from '../support/run-checks.js';
import { isArrangementSkip, resultsAgainst } from './self-test.js';

describe('the reference Hive', () => {
  let results: Map<string, CheckResult>;
  beforeAll(async () => {
    results = await resultsAgainst(createHive, ALL_CHECKS);
  }, 180_000);

  it('passes every check: no failure, no error', () => {
    const bad = [...results.values()].filter((r) => r.status === 'failed' || r.status === 'error');
    expect(bad, explain(bad)).toEqual([]);
  });

  it('skips only what this arrangement cannot perform (TLS, 30-minute idle expiry)', () => {
    const skipped = [...results.values()].filter((r) => r.status === 'skipped');
    expect(skipped.every(isArrangementSkip), explain(skipped)).toBe(true);
  });
});
