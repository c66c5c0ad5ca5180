import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/generated/schemas.js';
import { applyWaivers, refuseLongWaivers } from '../src/runner/waivers.js';
import { verdictOf } from '../src/runner/verdict.js';

function result(id: string, status: CheckResult['status'], level: CheckResult['level'] = 'MUST', rule = 'T4'): CheckResult {
  const failures = status === 'failed' ? [{ rule, level, message: 'broken' }] : [];
  return { id, title: id, code: '*', rules: [rule], level, status, message: '', failures, durationMs: 1 };
}

const known = new Set(['PAME-WIRE-001', 'PAME-WIRE-002', 'PAME-WIRE-003', 'PAME-PING-001']);
const TODAY = '2026-11-25';

describe('waivers', () => {
  it('a waived MUST failure is reported as waived and leaves the run conformant with warnings at best', () => {
    const out = applyWaivers([result('PAME-WIRE-001', 'failed')], [{ check: 'PAME-WIRE-001', reason: 'fixing', expires: '2026-12-31' }], known, TODAY);
    expect(out.results[0]).toMatchObject({ status: 'waived', waiver: { state: 'applied', reason: 'fixing' } });
    expect(verdictOf(out.results, true)).toBe('conformant with warnings');
    expect(out.expired).toEqual([]);
  });

  it('cannot hide an F-level failure: the check stays failed, the waiver is shown refused beside it, the verdict stays bannable', () => {
    const failed = result('PAME-PING-001', 'failed', 'F', 'F3');
    const out = applyWaivers([failed], [{ check: 'PAME-PING-001', reason: 'we like counts', expires: '2026-12-31' }], known, TODAY);
    expect(out.results[0]).toMatchObject({ status: 'failed', failures: failed.failures, waiver: { state: 'refused' } });
    expect(out.refused).toEqual(['PAME-PING-001: an F-level failure (F3) cannot be waived']);
    expect(verdictOf(out.results, true)).toBe('bannable');
  });

  it('an expired waiver leaves the failure standing and is named', () => {
    const out = applyWaivers([result('PAME-WIRE-001', 'failed')], [{ check: 'PAME-WIRE-001', reason: 'fixing', expires: '2026-01-01' }], known, TODAY);
    expect(out.results[0]?.status).toBe('failed');
    expect(out.expired).toEqual(['PAME-WIRE-001: waiver expired on 2026-01-01']);
    expect(verdictOf(out.results, true)).toBe('nonconformant');
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

  it('refuses waivers that run longer than the maximum lifetime after the run, naming each and the latest date allowed', () => {
    const start = new Date('2026-11-25T10:00:00Z');
    const waivers = [{ check: 'PAME-WIRE-001', reason: 'ok', expires: '2027-02-23' }, { check: 'PAME-WIRE-002', reason: 'forever', expires: '2099-01-01' }];
    expect(() => refuseLongWaivers(waivers.slice(0, 1), 90, start, 'w.json')).not.toThrow();
    expect(() => refuseLongWaivers(waivers, 90, start, 'w.json')).toThrow('w.json: a waiver may run at most 90 days (until 2027-02-23; the policy\'s waivers.maxLifetimeDays sets it); refused: PAME-WIRE-002 expires 2099-01-01');
    expect(() => refuseLongWaivers(waivers.slice(0, 1), 30, start, 'w.json')).toThrow(/at most 30 days/);
  });
});

describe('the verdict of a run not carried out in full', () => {
  it('is incomplete, never conformant, unless failures already make it nonconformant or bannable', () => {
    expect(verdictOf([result('PAME-WIRE-001', 'passed')], false)).toBe('incomplete');
    expect(verdictOf([result('PAME-WIRE-001', 'failed', 'SHOULD')], false)).toBe('incomplete');
    expect(verdictOf([result('PAME-WIRE-001', 'failed')], false)).toBe('nonconformant');
    expect(verdictOf([result('PAME-PING-001', 'failed', 'F', 'F3')], false)).toBe('bannable');
    expect(verdictOf([result('PAME-WIRE-001', 'passed')], true)).toBe('conformant');
  });
});
