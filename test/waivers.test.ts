import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/generated/schemas.js';
import { applyWaivers } from '../src/runner/waivers.js';
import { verdictOf } from '../src/runner/verdict.js';

function result(id: string, status: CheckResult['status']): CheckResult {
  const failures = status === 'failed' ? [{ rule: 'T4', level: 'MUST' as const, message: 'broken' }] : [];
  return { id, title: id, code: '*', rules: ['T4'], level: 'MUST', status, message: '', failures, durationMs: 1 };
}

const known = new Set(['PAME-WIRE-001', 'PAME-WIRE-002', 'PAME-WIRE-003']);
const TODAY = '2026-11-25';

describe('waivers', () => {
  it('a waived failure is reported as waived and no longer decides the verdict', () => {
    const out = applyWaivers([result('PAME-WIRE-001', 'failed')], [{ check: 'PAME-WIRE-001', reason: 'fixing', expires: '2026-12-31' }], known, TODAY);
    expect(out.results[0]).toMatchObject({ status: 'waived', waiver: { state: 'applied', reason: 'fixing' } });
    expect(verdictOf(out.results)).toBe('conformant');
    expect(out.expired).toEqual([]);
  });

  it('an expired waiver leaves the failure standing and is named', () => {
    const out = applyWaivers([result('PAME-WIRE-001', 'failed')], [{ check: 'PAME-WIRE-001', reason: 'fixing', expires: '2026-01-01' }], known, TODAY);
    expect(out.results[0]?.status).toBe('failed');
    expect(out.expired).toEqual(['PAME-WIRE-001: waiver expired on 2026-01-01']);
    expect(verdictOf(out.results)).toBe('nonconformant');
  });

  it('a waiver whose check passes, or that names no check, is stale', () => {
    const out = applyWaivers(
      [result('PAME-WIRE-002', 'passed')],
      [{ check: 'PAME-WIRE-002', reason: 'old', expires: '2027-01-01' }, { check: 'PAME-GONE-001', reason: 'older', expires: '2027-01-01' }],
      known,
      TODAY,
    );
    expect(out.stale).toEqual(['PAME-WIRE-002: the check passes now', 'PAME-GONE-001: no such check']);
    expect(out.results[0]).toMatchObject({ status: 'passed', waiver: { state: 'stale' } });
  });
});
