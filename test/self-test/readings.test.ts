// The checks touching some latitude points (§6 repair or refuse, Q8 block of
// an unknown user and add of a blocked one, M2 fragments), run against the
// reference Hive, the good Hive taking the other choice, and the bad Hives that
// overstep the latitude: every permitted choice passes, and what the profile
// forbids still fails.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BAD_HIVES } from '../../fixtures/bad-hives/index.js';
import { GOOD_HIVES } from '../../fixtures/good-hives/index.js';
import type { HiveOptions, ReferenceHive } from '../../src/hive/index.js';
import { createHive } from '../../src/hive/index.js';
import { ALL_CHECKS, type CheckId } from '../../suites/catalog.js';
import { explain } from '../support/run-checks.js';
import { resultsAgainst } from './self-test.js';

interface Reading {
  readonly checks: readonly CheckId[];
  readonly good: string;
  readonly bad: readonly string[];
}

const READINGS: Readonly<Record<string, Reading>> = {
  'L-C3-repair-or-refuse': { checks: ['PAME-CS-005'], good: 'step2-repairs', bad: ['delivers-unrepaired', 'repairs-every-fault', 'delivers-unconfirmed'] },
  'L-Q8-block-unknown': { checks: ['PAME-CON-002'], good: 'block-unknown-accepted', bad: ['contacts-sloppy-directory', 'contacts-add-unknown-user'] },
  'L-Q8-add-listed': { checks: ['PAME-CON-004', 'PAME-FUZZ-006'], good: 'directory-reversed-add-unblocks', bad: ['contacts-readd-listed-unblocked'] },
  'L-M2-fragments': { checks: ['PAME-MSG-006', 'PAME-FUZZ-002', 'PAME-FUZZ-004'], good: 'm2-fragments-accepted', bad: ['msg-script-urls-in-plain'] },
};

const checksOf = (ids: readonly CheckId[]) => ALL_CHECKS.filter((check) => ids.includes(check.id));

async function verdicts(create: (options: HiveOptions) => ReferenceHive, ids: readonly CheckId[]) {
  const results = await resultsAgainst(create, checksOf(ids));
  expect([...results.keys()].sort()).toEqual([...ids].sort());
  return [...results.values()];
}

describe.concurrent.each(Object.entries(READINGS))('latitude %s', (point, { checks, good, bad }) => {
  it(`passes the reference Hive and the good Hive ${good} on ${checks.join(', ')}`, async () => {
    const hive = GOOD_HIVES.find((candidate) => candidate.name === good);
    expect(hive?.latitude).toContain(point);
    for (const create of [createHive, hive!.create]) {
      const results = await verdicts(create, checks);
      const notPassed = results.filter((r) => r.status !== 'passed');
      expect(notPassed, explain(notPassed)).toEqual([]);
    }
  }, 180_000);

  it.each(bad)(`still fails the bad Hive %s`, async (name) => {
    const hive = BAD_HIVES.find((candidate) => candidate.name === name)!;
    const named = checks.filter((id) => hive.caughtBy.includes(id));
    expect(named.length, `${name} names none of ${checks.join(', ')} in caughtBy`).toBeGreaterThan(0);
    const results = await verdicts(hive.create, named);
    const missed = results.filter((r) => r.status !== 'failed' || !r.failures.some((f) => hive.breaks.includes(f.rule)));
    expect(missed, explain(missed)).toEqual([]);
  }, 180_000);
});

describe('L-C5-ticket-size and L-U3-key-size at the least C5 and U3 allow', () => {
  // The good Hives take longer tickets and keys; every-alternative holds one factory of each, so the shortest
  // (128 random bits in 22 characters) meet only the checks that judge the Hive's tickets and keys.
  it('PAME-CS-013, PAME-CS-014 and PAME-SES-012 pass a Hive whose tickets and session keys are 16 random bytes in base64url', async () => {
    const shortest = () => randomBytes(16).toString('base64url');
    const create = (options: HiveOptions) => createHive({ ...options, tamper: { ...options.tamper, ticketFactory: shortest, sessionKeyFactory: shortest } });
    const results = await verdicts(create, ['PAME-CS-013', 'PAME-CS-014', 'PAME-SES-012']);
    const notPassed = results.filter((r) => r.status !== 'passed');
    expect(notPassed, explain(notPassed)).toEqual([]);
  }, 120_000);
});

describe('L-M2-fragments under a large fuzz budget', () => {
  // A fixed seed and eight times the self-test's budget: the fuzz oracle says "must" only where both choices agree.
  it.each(['reference', 'm2-fragments-accepted'])('PAME-FUZZ-002 and PAME-FUZZ-004 pass the %s Hive', async (name) => {
    const create = name === 'reference' ? createHive : GOOD_HIVES.find((candidate) => candidate.name === name)!.create;
    const results = [...(await resultsAgainst(create, checksOf(['PAME-FUZZ-002', 'PAME-FUZZ-004']), { seed: 20261203, fuzzRuns: 400 })).values()];
    const notPassed = results.filter((r) => r.status !== 'passed');
    expect(notPassed, explain(notPassed)).toEqual([]);
    expect(results).toHaveLength(2);
  }, 300_000);

  it('PAME-FUZZ-004 still fails a Hive that takes complete script URLs in plain messages', async () => {
    const bad = BAD_HIVES.find((candidate) => candidate.name === 'msg-script-urls-in-plain')!;
    const [result] = [...(await resultsAgainst(bad.create, checksOf(['PAME-FUZZ-004']), { seed: 20261203, fuzzRuns: 400 })).values()];
    expect(result?.status, result && explain([result])).toBe('failed');
    expect(result!.failures.map((f) => f.rule)).toContain('M2');
  }, 300_000);
});
