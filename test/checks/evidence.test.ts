// Evidence names the request that failed: with requests in flight together, a
// finding's exchange is the one its check judged, not whichever came back last,
// and its curl line, run again, gets the reply that broke the rule.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineChecks } from '../../src/checks/check.js';
import { readPage } from '../../src/checks/conversation-steps.js';
import type { SessionUser } from '../../src/checks/context.js';
import { createEnvironment } from '../../src/checks/environment.js';
import { executeCheck } from '../../src/checks/execute.js';
import { TEST_DOMAIN, testSettings } from '../support/run-checks.js';

const run = promisify(execFile);

/** Conversation "lost" comes back at once and empty; "kept" a little later, empty too but written differently, so the two replies differ byte for byte. */
const REPLIES: Record<string, { delayMs: number; body: string }> = {
  lost: { delayMs: 0, body: '{"resp":0}' },
  kept: { delayMs: 150, body: '{ "resp": 0 }' },
};

async function convOf(req: import('node:http').IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const parts = (req.method === 'GET' ? Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams) : JSON.parse(text)) as { conv?: string };
  return String(parts.conv);
}

describe('a finding made among concurrent requests', () => {
  let server: Server;
  let target: string;
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const reply = REPLIES[await convOf(req)] ?? { delayMs: 0, body: '{"resp":-1.1}' };
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(reply.body), reply.delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reader: SessionUser = { name: 'ana', pass: 'not-used-here', address: `ana@${TEST_DOMAIN}`, session: 'k'.repeat(24) };
  const [check] = defineChecks([
    {
      id: 'PAME-TEST-001',
      title: 'two conversations read at once; the first must hold a message',
      rules: ['Q7'],
      level: 'MUST',
      code: 'Epost_conv_old',
      async run(t) {
        // "lost" answers first, so the check's last exchange is "kept"'s.
        const [lost, kept] = await Promise.all([readPage(t, reader, 'lost'), readPage(t, reader, 'kept')]);
        expect(t.exchanges.at(-1)).toBe(kept.exchange);
        t.check(lost.length > 0, 'Q7', 'conversation lost came back empty', lost.exchange);
      },
    },
  ]);

  it('carries the exchange it judged, and its curl line reproduces the failing reply', async () => {
    const env = await createEnvironment(testSettings(target));
    const result = await executeCheck(check!, env).finally(() => env.close());
    expect(result.status).toBe('failed');
    const [failure] = result.failures;
    expect(failure?.evidence?.request.body).toContain('"conv":"lost"');
    expect(failure?.evidence?.reply?.body).toBe(REPLIES.lost!.body);
    // The result shows the failure's exchange, not the last one.
    expect(result.evidence).toEqual(failure?.evidence);

    const { stdout } = await run('sh', ['-c', failure!.curl!], { timeout: 10_000 });
    expect(stdout).toBe(REPLIES.lost!.body);
  });
});
