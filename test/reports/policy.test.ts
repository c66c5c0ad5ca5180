import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BanPolicy, CheckResult, Verdict } from '../../src/generated/schemas.js';
import { DEFAULT_POLICY, decide, exitCodeOfDecision, loadPolicy } from '../../src/runner/policy.js';
import { verdictOf } from '../../src/runner/verdict.js';
import { SAMPLE_CHECKS } from './sample-report.js';

const byId = (...ids: string[]) => SAMPLE_CHECKS.filter((check) => ids.includes(check.id));

async function policyFile(content: unknown): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'pame-policy-')), 'policy.json');
  await writeFile(path, JSON.stringify(content));
  return path;
}

describe('the ban policy', () => {
  it('by default is profile §9: the decision matches the verdict for every mix of failures', () => {
    const expected: Record<Verdict, string> = { conformant: 'allow', 'conformant with warnings': 'warn', incomplete: 'incomplete', nonconformant: 'nonconformant', bannable: 'ban' };
    const mixes: CheckResult[][] = [byId('PAME-PING-001'), byId('PAME-TRN-010'), byId('PAME-TRN-004', 'PAME-TRN-010'), SAMPLE_CHECKS, byId('PAME-MSG-002')];
    for (const complete of [true, false]) for (const checks of mixes) expect(decide(checks, DEFAULT_POLICY, complete).action).toBe(expected[verdictOf(checks, complete)]);
  });

  it('gives reason codes for the failures that decided, in catalog order', () => {
    expect(decide(SAMPLE_CHECKS, DEFAULT_POLICY, true)).toEqual({ action: 'ban', reasons: ['F2:ban:by-level@F', 'F3:ban:by-level@F'] });
    expect(decide(byId('PAME-PING-001'), DEFAULT_POLICY, false)).toEqual({ action: 'incomplete', reasons: ['no-failures', 'incomplete-run'] });
  });

  it('lets a rule id win over its family, and a family over the level', () => {
    const policy: BanPolicy = { rules: { F: 'warn', F2: 'nonconformant', T: 'allow' } };
    expect(decide(SAMPLE_CHECKS, policy, true)).toEqual({ action: 'nonconformant', reasons: ['F2:nonconformant:by-rule@F'] });
    expect(decide(byId('PAME-TRN-004', 'PAME-TRN-010'), policy, true)).toEqual({ action: 'allow', reasons: ['T4:allow:by-family@MUST', 'T10:allow:by-family@SHOULD'] });
    expect(decide(byId('PAME-TRN-010'), { levels: { SHOULD: 'ban' } }, true)).toEqual({ action: 'ban', reasons: ['T10:ban:by-level@SHOULD'] });
  });

  it('lets a waived failure below F earn at most a warning, as the verdict does', () => {
    expect(decide(byId('PAME-MSG-002'), { rules: { M1: 'ban' } }, true)).toEqual({ action: 'warn', reasons: ['M1:warn:by-rule@MUST:waived'] });
    expect(decide(byId('PAME-MSG-002'), { rules: { M1: 'allow' } }, true).action).toBe('allow');
  });

  it('never allows nor warns on a run not carried out in full, whatever the policy; failures that ban or fail still decide', () => {
    const lenient: BanPolicy = { levels: { MUST: 'allow', SHOULD: 'allow', F: 'allow' } };
    expect(decide(SAMPLE_CHECKS, lenient, false).action).toBe('incomplete');
    expect(decide(byId('PAME-TRN-010'), DEFAULT_POLICY, false).action).toBe('incomplete');
    expect(decide(SAMPLE_CHECKS, DEFAULT_POLICY, false).action).toBe('ban');
    expect(exitCodeOfDecision({ action: 'incomplete', reasons: [] }, false)).toBe(3);
  });

  it('maps decisions to exit codes: ban 2, nonconformant 1, warn 0 (1 under --strict), allow 0', () => {
    expect([exitCodeOfDecision({ action: 'ban', reasons: [] }, false), exitCodeOfDecision({ action: 'nonconformant', reasons: [] }, false)]).toEqual([2, 1]);
    expect([exitCodeOfDecision({ action: 'warn', reasons: [] }, false), exitCodeOfDecision({ action: 'warn', reasons: [] }, true), exitCodeOfDecision({ action: 'allow', reasons: [] }, true)]).toEqual([0, 1, 0]);
  });

  it('reads a policy file that the schema accepts', async () => {
    const policy = { name: 'test network 2026-01', levels: { SHOULD: 'allow' }, rules: { F4: 'warn', C: 'nonconformant' } };
    const path = await policyFile(policy);
    const loaded = await loadPolicy(path);
    expect(loaded.policy).toEqual(policy);
    expect(loaded.used).toEqual({ name: 'test network 2026-01', sha256: createHash('sha256').update(await readFile(path)).digest('hex') });
  });

  it('refuses a policy file with an unknown action, an unknown member, or a rule the profile does not have', async () => {
    await expect(loadPolicy(await policyFile({ rules: { F1: 'shrug' } }))).rejects.toThrow(/not a ban policy/);
    await expect(loadPolicy(await policyFile({ level: { F: 'ban' } }))).rejects.toThrow(/not a ban policy/);
    await expect(loadPolicy(await policyFile({ rules: { F9: 'ban', X: 'warn' } }))).rejects.toThrow(/F9, X/);
  });
});
