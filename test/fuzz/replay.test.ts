// Fuzz failures are reproducible: the seed draws the same samples, the replay
// path leads fast-check to the failing one, and a failure report carries the
// shrunk counterexample, the seed, the path and the curl lines.
import { TEST_PASSWORD_COST } from '../../src/hive/index.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzBadHives } from '../../fixtures/bad-hives/fuzz.js';
import { commandSequences } from '../../src/fuzz/commands.js';
import { anyNearValidRequest } from '../../src/fuzz/near-valid.js';
import type { CheckResult } from '../../src/generated/schemas.js';
import type { ReferenceHive } from '../../src/hive/index.js';
import { fuzzSuite } from '../../suites/fuzz.js';
import { runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

/** A sample as text: a command sequence by its commands, anything else as JSON. */
function asText(value: unknown): string {
  return value !== null && typeof value === 'object' && Symbol.iterator in value ? [...(value as Iterable<unknown>)].map(String).join(', ') : JSON.stringify(value);
}

describe('the seed and the replay path', () => {
  // The runner sends the batch drawn by fc.sample and hands the failing index to fc.check as its path.
  it.each([
    ['near-valid requests', anyNearValidRequest() as fc.Arbitrary<unknown>],
    ['command sequences', commandSequences as fc.Arbitrary<unknown>],
  ])('fc.check with path i starts at the i-th sample fc.sample draws from the same seed (%s)', (_name, arbitrary) => {
    const drawn = fc.sample(arbitrary, { seed: 42, numRuns: 30 }).map(asText);
    expect(new Set(drawn).size).toBeGreaterThan(20);
    for (const index of [0, 7, 29]) {
      let first: string | undefined;
      fc.check(fc.property(arbitrary, (value) => {
        first ??= asText(value);
        return true;
      }), { seed: 42, path: String(index), numRuns: 30 });
      expect(first).toBe(drawn[index]);
    }
  });
});

function badHive(name: string) {
  const bad = fuzzBadHives.find((b) => b.name === name);
  if (!bad) throw new Error(`no bad Hive ${name}`);
  return bad;
}

/**
 * Shrinking stops at a share of the check's budget: the long budget given
 * here lets it run to its end however loaded the machine is, so the
 * counterexample is the one the seed and path determine, not what time allowed.
 */
const UNHURRIED_CHECK_MS = 10 * 60_000;

async function runAgainst(hive: ReferenceHive, id: string, seed: number): Promise<CheckResult> {
  const { url } = await hive.listen(0, '127.0.0.1');
  const checks = fuzzSuite.checks.filter((check) => check.id === id).map((check) => ({ ...check, timeoutMs: UNHURRIED_CHECK_MS }));
  const results = await runChecks(checks, testSettings(url, { seed, fuzzRuns: 50 }));
  return results.get(id)!;
}

/** A report line, without what differs from run to run (user names, session keys, ports). */
function line(message: string, start: string): string | undefined {
  return message.split('\n').find((l) => l.startsWith(start));
}

describe('a failure report', () => {
  const hives: ReferenceHive[] = [];
  afterAll(() => Promise.all(hives.map((hive) => hive.close())));
  const fresh = (name: string) => {
    const hive = badHive(name).create({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN });
    hives.push(hive);
    return hive;
  };

  let first: CheckResult;
  let again: CheckResult;
  beforeAll(async () => {
    first = await runAgainst(fresh('fuzz-coerced-page-numbers'), 'PAME-FUZZ-002', 42);
    again = await runAgainst(fresh('fuzz-coerced-page-numbers'), 'PAME-FUZZ-002', 42);
  }, 120_000);

  it('names the rule, the shrunk counterexample, the seed, the replay path and the requests as curl lines', () => {
    expect(first.status).toBe('failed');
    expect(first.failures[0]!.rule).toBe('E4');
    const message = first.message;
    expect(message).toMatch(/counterexample \(shrunk \d+ times\): Epost_conv_old by (GET|POST), (start|limit) /);
    expect(message).toMatch(/seed 42, replay path "\d+(:\d+)*": pame run --seed 42 --fuzz-runs 50 --only PAME-FUZZ-002/);
    expect(message).toMatch(/requests of the counterexample:\n {2}curl -sS/);
    expect(first.notes?.some((note) => /^seed 42: \d+ requests, \d+ requests in [\d.]+ s/.test(note))).toBe(true);
  });

  it('is the same when the run is replayed with the same seed', () => {
    for (const start of ['counterexample', 'seed 42, replay path']) expect(line(again.message, start)).toBe(line(first.message, start));
  });

  it('shrinks a model divergence to the few commands that show it', async () => {
    const result = await runAgainst(fresh('fuzz-remove-keeps-block'), 'PAME-FUZZ-006', 42);
    expect(result.status).toBe('failed');
    const shown = line(result.message, 'counterexample')!.replace(/ \/\*replayPath=.*$/, '');
    // Block, remove, then a send from the once-blocked user: nothing else is needed.
    expect(shown).toMatch(/blocks.*removes.*send\(/);
    expect(shown.split(/,(?=[a-z]|send\()/).length).toBeLessThanOrEqual(4);
  }, 120_000);
});
