// A Hive that echoes every secret it is sent (the password, the session key,
// the ticket) into every reply, which also breaks the reply schemas: the run
// fails, its evidence is full of secrets, and not one of them may reach any
// file of the report directory.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HiveClient } from '../../src/client/client.js';
import { respOf } from '../../src/client/exchange.js';
import { createHive, type Tamper, TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { peerMap } from '../../src/peer/domains.js';
import { REQUEST_CODES } from '../../src/protocol/codes.js';
import { writeReports } from '../../src/reports/index.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/runner/options.js';
import { runConformance } from '../../src/runner/run.js';
import { freePort } from '../../src/runner/free-port.js';
import { CATALOG } from '../../suites/catalog.js';
import { TEST_DOMAIN } from '../support/run-checks.js';

const dirs: string[] = [];
afterAll(async () => void (await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('secrets in reports', () => {
  it('a failing run with --user NAME:PASS writes no password, session key or ticket into any report file', async () => {
    const issued: string[] = [];
    const secret = (prefix: string) => () => {
      const value = `${prefix}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
      issued.push(value);
      return value;
    };
    // Every reply carries what the request's secret parts held, and the key and ticket in bare text too.
    const echo = Object.fromEntries(REQUEST_CODES.map((code) => [code, async (ctx: Parameters<NonNullable<NonNullable<Tamper['handlers']>['Epost_ping']>>[0], original: (ctx: never) => Promise<object>) => {
      const { pass, session, ticket } = ctx.parts as Record<string, unknown>;
      return { ...(await original(ctx as never)), echo: { pass, session, ticket }, note: `your key is ${String(session)} and ${String(pass)}` };
    }]));
    const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
    const hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN, resolve: peerMap(peer), tamper: { handlers: echo as Tamper['handlers'], sessionKeyFactory: secret('sk'), ticketFactory: secret('tk') } });
    const { url } = await hive.listen(0, '127.0.0.1');
    const dir = await mkdtemp(join(tmpdir(), 'pame-secrets-'));
    dirs.push(dir);
    try {
      const pass = 'Hunter2-correct-horse';
      const client = new HiveClient(url);
      expect(respOf(await client.call('Epost_user_register', { iam: `ana::${TEST_DOMAIN}`, pass }))).toBe(1);
      await client.close();
      const options = {
        ...DEFAULT_RUN_OPTIONS,
        hive: url,
        domain: TEST_DOMAIN,
        peerPort: peer.port,
        users: [{ name: 'ana', pass }],
        only: ['PAME-SES', 'PAME-CS-001', 'PAME-CS-002'],
        reportDir: dir,
        reporters: ['json', 'junit', 'summary', 'allure', 'certificate'],
        quiet: true,
      };
      const outcome = await runConformance(options, CATALOG);
      await writeReports(outcome, options);
      const { report } = outcome;
      expect(report.checks.some((check) => check.status === 'failed'), 'the echoing Hive fails checks').toBe(true);
      expect(issued.some((value) => value.startsWith('sk')), 'the run opened sessions').toBe(true);
      const files = await filesUnder(dir);
      expect(files.map((file) => file.slice(dir.length))).toEqual(expect.arrayContaining(['/report.json', '/exchanges.jsonl', '/summary.md', '/junit.xml']));
      const text = (await Promise.all(files.map((file) => readFile(file, 'latin1')))).join('\n');
      expect(text).toContain('$PAME_SESSION');
      for (const value of [pass, ...issued]) expect(text.includes(value), `${value} is in a report file`).toBe(false);
    } finally {
      await hive.close();
    }
  }, 120_000);
});
