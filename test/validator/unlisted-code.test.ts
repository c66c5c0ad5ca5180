// One judgement of a reply to a request code the profile does not list (F2, E2; src/validator/unlisted-code.ts),
// the same in every path that meets one: the privacy suite (PAME-PRIV-001), the fuzz judge (PAME-FUZZ-005),
// validateReply, and traffic validation (validateExchange: `pame validate` and the proxy). Answering it with
// anything but an error is F2, {"resp":"x"} included; another error than -1.1 is E2 only; -1.1 alone passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHive, TEST_PASSWORD_COST, type ReferenceHive } from '../../src/hive/index.js';
import { recordedExchange } from '../../src/validator/recorded.js';
import { validateExchange } from '../../src/validator/exchange.js';
import { unlistedCodeFindings } from '../../src/validator/unlisted-code.js';
import { validateReply } from '../../src/validator/validate.js';
import { fuzzSuite } from '../../suites/fuzz.js';
import { privacySuite } from '../../suites/privacy.js';
import { runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

const CODE = 'Epost_user_exists';

/** Replies to an unlisted code and the rules each breaks, F2 first as the judgement orders them. */
const REPLIES: readonly [string, unknown, readonly string[]][] = [
  ['a string resp', { resp: 'x' }, ['F2']],
  ['no resp at all', {}, ['F2']],
  ['yes', { resp: 1 }, ['F2']],
  ['a refusal with a member beside resp', { resp: -1.1, exists: true }, ['F2']],
  ['another error than -1.1', { resp: -1.303 }, ['E2']],
  ['no JSON object', 'exists', ['E2']],
  ['exactly -1.1', { resp: -1.1 }, []],
];

/** A recorded POST of the unlisted code and the Hive's reply to it. */
function unlistedExchange(reply: unknown) {
  return recordedExchange({
    method: 'POST',
    url: 'http://127.0.0.1:8080/',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ w: CODE, iam: 'ana', user: 'bob' })),
    reply: { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(typeof reply === 'string' ? reply : JSON.stringify(reply)) },
    startedAt: '2026-11-25T08:30:00Z',
    durationMs: 1,
  });
}

const judged = (rules: readonly string[]) => [...new Set(rules.filter((rule) => rule === 'F2' || rule === 'E2'))];

describe.each(REPLIES)('an unlisted code answered with %s', (_what, reply, rules) => {
  it('the privacy suite and the fuzz judge (unlistedCodeFindings) name it', () => {
    expect(judged(unlistedCodeFindings(reply).map((f) => f.rule))).toEqual(rules);
  });

  it('validateReply names the same', () => {
    expect(judged(validateReply(CODE, reply).violations.map((v) => v.rule))).toEqual(rules);
  });

  it('traffic validation (pame validate, the proxy) blames the Hive for the same', () => {
    const hive = validateExchange(unlistedExchange(reply)).filter((f) => f.party === 'hive');
    expect(judged(hive.map((f) => f.rule))).toEqual(rules);
    if (rules.includes('F2')) expect(hive.find((f) => f.rule === 'F2')).toMatchObject({ level: 'F', aspect: 'privacy' });
  });
});

describe('the checks against a Hive that answers unlisted codes {"resp":"x"}', () => {
  let hive: ReferenceHive;
  let url: string;
  beforeAll(async () => {
    // The reference Hive with every -1.1 turned into {"resp":"x"}: it answers unlisted codes, and the two checks need no other refusal.
    hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN, tamper: { reply: (reply) => ((reply.body as { resp?: unknown }).resp === -1.1 ? { ...reply, body: { resp: 'x' } } : reply) } });
    ({ url } = await hive.listen(0, '127.0.0.1'));
  });
  afterAll(async () => hive?.close());

  it('PAME-PRIV-001 and PAME-FUZZ-005 fail it for F2', async () => {
    const checks = [privacySuite.checks.find((c) => c.id === 'PAME-PRIV-001')!, fuzzSuite.checks.find((c) => c.id === 'PAME-FUZZ-005')!];
    const results = await runChecks(checks, testSettings(url, { fuzzRuns: 20 }));
    for (const check of checks) {
      const result = results.get(check.id)!;
      expect(result.status, `${check.id}: ${result.message}`).toBe('failed');
      expect(result.failures.map((f) => f.rule), check.id).toContain('F2');
    }
  }, 60_000);
});
