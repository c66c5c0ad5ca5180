// Checks against hostile Hives, in-process: whatever a Hive answers, a check
// ends in time as a failed check naming what went wrong, with the bytes it got
// as evidence. It never ends in an error (the runner broke), never follows a
// redirect and never hangs.
import { describe, expect, it } from 'vitest';
import { HOSTILE_DOMAIN, HOSTILE_HIVES, type HostileHive } from '../../fixtures/hostile/hives.js';
import { createEnvironment, type CheckSettings } from '../../src/checks/environment.js';
import { EVIDENCE_BODY_CHARS } from '../../src/checks/evidence.js';
import { executeCheck } from '../../src/checks/execute.js';
import type { CheckResult } from '../../src/generated/schemas.js';
import { ALL_CHECKS } from '../../suites/catalog.js';
import { pingChecks } from '../../suites/ping.js';
import { explain, testSettings } from '../support/run-checks.js';

const TIMEOUT_MS = 1000;
const ping = pingChecks[0]!;

/** Runs checks against a freshly started hostile Hive and stops it again. */
async function against(hostile: HostileHive, checks: typeof ALL_CHECKS, overrides: Partial<CheckSettings> = {}) {
  const running = await hostile.start(0, '127.0.0.1');
  const env = await createEnvironment(testSettings(running.url, { domain: HOSTILE_DOMAIN, timeoutMs: TIMEOUT_MS, checkTimeoutMs: 15_000, ...overrides }));
  try {
    const started = Date.now();
    const results = await Promise.all(checks.map((check) => executeCheck(check, env)));
    return { results, durationMs: Date.now() - started, strayRequests: running.strayRequests() };
  } finally {
    await env.close();
    await running.close();
  }
}

describe.concurrent.each(HOSTILE_HIVES.map((h) => [h.name, h] as const))('against the hostile Hive %s', (_name, hostile) => {
  it(`the ping check fails in time, naming the fault, with the reply as evidence (${hostile.does})`, async () => {
    const { results: [result], durationMs, strayRequests } = await against(hostile, [ping]);
    expect(result!.status, explain([result!])).toBe('failed');
    expect(result!.message).toMatch(hostile.reported);
    // The check ends at its first failed request: one deadline, plus start-up.
    expect(durationMs).toBeLessThan(TIMEOUT_MS + 1500);
    const evidence = result!.failures[0]!.evidence!;
    expect(evidence.failure ?? evidence.reply).toBeDefined();
    if (evidence.reply) {
      expect(evidence.reply.body.length).toBeLessThanOrEqual(EVIDENCE_BODY_CHARS);
      expect(evidence.reply.truncated).toBe(evidence.reply.bytes > EVIDENCE_BODY_CHARS);
    }
    expect(strayRequests, 'requests reached the host a redirect named').toBe(0);
  });

  it('no check of the catalog ends in an error (the runner broke) against it', async () => {
    const { results } = await against(hostile, ALL_CHECKS);
    const broken = results.filter((r: CheckResult) => r.status === 'error');
    expect(broken, explain(broken)).toEqual([]);
    expect(results.some((r) => r.status === 'failed')).toBe(true);
  });
});

describe.concurrent.each(HOSTILE_HIVES.filter((h) => h.tls).map((h) => [h.name, h] as const))('with --insecure, the TLS Hive %s', (_name, hostile) => {
  it('is reached: the ping check passes, since the Hive behind the certificate is the reference Hive', async () => {
    const { results: [result] } = await against(hostile, [ping], { insecure: true });
    expect(result!.status, explain([result!])).toBe('passed');
  });
});
