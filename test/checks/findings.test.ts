// A hostile Hive can make every member of a reply a finding. A check keeps a
// bounded number a rule, counts the rest in a note, and a flood under one rule
// never pushes out a finding under another: the verdict still sees the F one.
import { describe, expect, it } from 'vitest';
import { defineChecks } from '../../src/checks/check.js';
import { createEnvironment } from '../../src/checks/environment.js';
import { executeCheck } from '../../src/checks/execute.js';
import { MAX_FINDINGS_PER_RULE, MAX_MESSAGE_CHARS } from '../../src/checks/outcome.js';
import { testSettings } from '../support/run-checks.js';

const FLOOD = 50_000;

describe('a check flagged over and over', () => {
  const [check] = defineChecks([
    {
      id: 'PAME-TEST-003',
      title: 'flags one rule fifty thousand times, then a forbidden thing',
      rules: ['M1', 'M2', 'F1'],
      level: 'MUST',
      code: 'Epost_msg_send',
      async run(t) {
        for (let i = 0; i < FLOOD; i++) t.flag('M1', `member m${i} breaks the grammar`);
        t.flag('M1', 'member m0 breaks the grammar'); // the same finding again is one finding
        t.flag('F1', 'the reply lists another user');
        t.flag('M2', `the body came back as ${'x'.repeat(1024 * 1024)}`);
      },
    },
  ]);

  it('keeps a bounded number a rule, notes how many more, and keeps the F finding', async () => {
    // Nothing is sent: the environment's target is never called.
    const env = await createEnvironment(testSettings('http://127.0.0.1:9/'));
    const result = await executeCheck(check!, env);
    await env.close();
    expect(result.status).toBe('failed');
    expect(result.failures.filter((f) => f.rule === 'M1')).toHaveLength(MAX_FINDINGS_PER_RULE);
    expect(result.failures.filter((f) => f.rule === 'F1')).toHaveLength(1);
    // What a step quotes from the Hive is cut where the finding is made.
    expect(result.failures.find((f) => f.rule === 'M2')!.message.length).toBeLessThan(MAX_MESSAGE_CHARS + 100);
    expect(result.notes).toContain(`${FLOOD - MAX_FINDINGS_PER_RULE} more findings left out: a check keeps ${MAX_FINDINGS_PER_RULE} a rule`);
  });
});
