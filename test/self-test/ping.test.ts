import { describe, expect, it } from 'vitest';
import { pingBadHives } from '../../fixtures/bad-hives/ping.js';
import { createHive } from '../../src/hive/index.js';
import { pingSuite } from '../../suites/ping.js';
import { explain } from '../support/run-checks.js';
import { badHivesOf, resultsAgainst } from './self-test.js';

badHivesOf('ping');

// Without --domain the runner learns the domain from Epost_ping itself: the check must judge the ping by another source.
describe('PAME-PING-001 without --domain', () => {
  const check = pingSuite.checks.find((c) => c.id === 'PAME-PING-001')!;
  const noDomain = { domain: undefined };

  it('compares the ping with the domain the reference Hive writes in its addresses, and passes', async () => {
    const result = (await resultsAgainst(createHive, [check], noDomain)).get(check.id)!;
    expect(result.status, explain([result])).toBe('passed');
    expect((result.notes ?? []).join('\n')).not.toMatch(/not compared/);
  });

  it.each(pingBadHives.map((bad) => [bad.name, bad] as const))('fails %s for Q1 only', async (_name, bad) => {
    const result = (await resultsAgainst((options) => bad.create(options), [check], noDomain)).get(check.id)!;
    expect(result.status, explain([result])).toBe('failed');
    expect(result.failures.map((f) => f.rule)).toEqual(['Q1']);
    expect(result.failures[0]!.message).toMatch(/writes in the address of its user/);
  });
});
