// The ping check against hostile Hives, in-process: whatever a Hive answers,
// the check ends in time as a failed check naming what went wrong, with the
// bytes it got as evidence; it never follows a redirect and never hangs.
import { describe, expect, it } from 'vitest';
import { HOSTILE_HIVES } from '../../fixtures/hostile/hives.js';
import { EVIDENCE_BODY_CHARS } from '../../src/validator/evidence.js';
import { pingSuite } from '../../suites/ping.js';
import { explain } from '../support/run-checks.js';
import { against, TIMEOUT_MS } from './against.js';

const ping = pingSuite.checks[0]!;

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

});

describe.concurrent.each(HOSTILE_HIVES.filter((h) => h.tls).map((h) => [h.name, h] as const))('with --insecure, the TLS Hive %s', (_name, hostile) => {
  it('is reached: the ping check passes, since the Hive behind the certificate is the reference Hive', async () => {
    const { results: [result] } = await against(hostile, [ping], { insecure: true });
    expect(result!.status, explain([result!])).toBe('passed');
  });
});
