// --rules and --level select checks by the rules they name and their level, and reach the runner as skip entries.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, foldRuleSelection } from '../../suites/catalog.js';
import { matchesRuleSelection, ruleSelectionAsSkip, selectedChecks } from '../../src/checks/check.js';
import { resolveRunOptions } from '../../src/cli/config.js';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import { tmpdir } from 'node:os';

const ids = (checks: readonly { id: string }[]): string[] => checks.map((c) => c.id);

describe('rule and level selection', () => {
  it('selects exactly the checks that name the rules and have the level', () => {
    const selection = { rules: ['T4', 'U2'], levels: ['MUST'] };
    const chosen = ALL_CHECKS.filter((check) => matchesRuleSelection(check, selection));
    expect(chosen.length).toBeGreaterThan(0);
    for (const check of chosen) {
      expect(check.level).toBe('MUST');
      expect(check.rules.some((rule) => rule === 'T4' || rule === 'U2')).toBe(true);
    }
    const expected = ALL_CHECKS.filter((check) => check.level === 'MUST' && (check.rules.includes('T4') || check.rules.includes('U2')));
    expect(ids(chosen)).toEqual(ids(expected));
  });

  it('takes a rule family for all its rules', () => {
    const chosen = ALL_CHECKS.filter((check) => matchesRuleSelection(check, { rules: ['F'], levels: [] }));
    expect(chosen.length).toBeGreaterThan(0);
    expect(chosen.every((check) => check.rules.some((rule) => /^F[0-9]+$/.test(rule)))).toBe(true);
  });

  it('selects every check when neither is given', () => {
    expect(ruleSelectionAsSkip(ALL_CHECKS, { rules: [], levels: [] })).toEqual([]);
    const options = { only: [], skip: [], rules: [], levels: [] };
    expect(foldRuleSelection(options)).toBe(options);
  });

  it('folds into skip, so only/skip carry every selection to the runner, together with --only', () => {
    const folded = foldRuleSelection({ only: ['PAME-WIRE'], skip: ['PAME-WIRE-001'], rules: ['T4'], levels: ['MUST'] as string[] });
    expect(folded.skip[0]).toBe('PAME-WIRE-001');
    const chosen = selectedChecks(ALL_CHECKS, folded);
    expect(chosen.length).toBeGreaterThan(0);
    for (const check of chosen) {
      expect(check.id.startsWith('PAME-WIRE') && check.id !== 'PAME-WIRE-001').toBe(true);
      expect(check.rules).toContain('T4');
      expect(check.level).toBe('MUST');
    }
  });

  it('refuses a rule the profile does not have, and a level that is none', async () => {
    await expect(resolveRunOptions({ flags: { rules: ['T4,Z9'] }, env: {}, cwd: tmpdir() })).rejects.toThrow(/"rules" names what the profile does not have: Z9 \(flag --rules\)/);
    await expect(resolveRunOptions({ flags: {}, env: { PAME_LEVEL: 'MAY' }, cwd: tmpdir() })).rejects.toThrow(/"levels"\/0 must be equal to one of the allowed values \(env PAME_LEVEL\)/);
  });

  it('`pame list` and `pame run --dry-run` take the same filters', async () => {
    await ensureCliBuilt();
    const expected = ALL_CHECKS.filter((check) => check.level === 'F' && check.rules.some((rule) => rule.startsWith('F'))).map((c) => c.id);
    expect(expected.length).toBeGreaterThan(0);
    const list = await runCli(['list', '--rules', 'F', '--level', 'F']);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n').map((line) => line.split(' ')[0])).toEqual(expected);
    const dry = await runCli(['run', '--dry-run', '--rules', 'F', '--level', 'F'], { env: { PAME_CONFIG: '' } });
    expect(dry.stdout.trim().split('\n').map((line) => line.split(' ')[0])).toEqual(expected);
    const unknown = await runCli(['list', '--rules', 'Z9']);
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toMatch(/Z9/);
  }, 180_000);
});
