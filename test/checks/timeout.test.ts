// A check that overruns its budget is its own outcome, timeout, naming the step
// it was in; its request in flight is cancelled at the budget, not left to the
// client's deadline, and the session it opened is closed.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineChecks } from '../../src/checks/check.js';
import { createEnvironment } from '../../src/checks/environment.js';
import { executeCheck } from '../../src/checks/execute.js';
import type { CheckResult } from '../../src/generated/schemas.js';
import { countStatuses, ruleResults } from '../../src/runner/verdict.js';
import { TEST_DOMAIN, testSettings } from '../support/run-checks.js';

const SESSION = 's'.repeat(24);

async function codeOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { w?: unknown }).w);
}

describe('a check that overruns its budget', () => {
  let server: Server;
  let target: string;
  const seen: string[] = [];
  /** When the Hive saw the hanging request's connection close. */
  let hangClosedAt: number | undefined;
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const code = await codeOf(req);
      seen.push(code);
      const json = (body: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (code === 'Epost_session_open') return json({ resp: 1, session: SESSION });
      if (code === 'Epost_session_close') return json({ resp: 1 });
      // Anything else hangs: the check waits on it until its budget runs out.
      res.once('close', () => (hangClosedAt = Date.now()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const [check] = defineChecks([
    {
      id: 'PAME-TEST-002',
      title: 'opens a session, then waits on a Hive that never answers',
      rules: ['Q6', 'U1'],
      level: 'MUST',
      code: 'Epost_conv_new',
      timeoutMs: 400,
      async run(t) {
        const user = { name: 'ana', pass: 'password-1', address: `ana@${TEST_DOMAIN}` };
        const session = await t.login(user);
        await t.call('Epost_conv_new', { iam: user.address }, { session });
      },
    },
  ]);

  let result: CheckResult;
  /** When the client's own deadline (10 s, far past the check's budget) would have ended the request. */
  let clientDeadlineAt: number;
  beforeAll(async () => {
    const settings = testSettings(target);
    const env = await createEnvironment(settings);
    const started = Date.now();
    clientDeadlineAt = started + settings.timeoutMs;
    result = await executeCheck(check!, env);
    await env.close();
  });

  it('is a timeout naming the step it was in, not a failure of its first rule', () => {
    expect(result.status).toBe('timeout');
    expect(result.failures).toEqual([]);
    expect(result.message).toContain('400 ms');
    expect(result.message).toContain('waiting on Epost_conv_new');
  });

  it('cancels the request in flight at the budget and closes the session it opened', async () => {
    // The exchange it was waiting on ends as cancelled at the budget, far before the client's 10 s deadline.
    expect(result.evidence?.code).toBe('Epost_conv_new');
    expect(result.evidence?.failure?.kind).toBe('cancelled');
    // Bounded by the client's deadline, not by a guess at the budget plus slack: a loaded machine runs late.
    expect(result.evidence!.durationMs).toBeLessThan(testSettings(target).timeoutMs);
    // When the request had reached the Hive, its connection is closed then too.
    if (seen.includes('Epost_conv_new')) {
      await expect.poll(() => hangClosedAt, { timeout: 10_000 }).toBeDefined();
      expect(hangClosedAt!).toBeLessThan(clientDeadlineAt);
    }
    expect(seen).toContain('Epost_session_close');
  });

  it('leaves its rules neither passed nor failed, and counts apart', () => {
    expect(countStatuses([result])).toMatchObject({ timeout: 1, failed: 0, error: 0 });
    const rules = ruleResults([result], new Map([['Q6', [result.id]], ['U1', [result.id]]]));
    expect(rules.filter((r) => r.id === 'Q6' || r.id === 'U1').map((r) => r.status)).toEqual(['timeout', 'timeout']);
  });
});
