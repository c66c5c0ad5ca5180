// A run is safe to point at a production Hive: it keeps to --concurrency and
// --rate across all its workers, names every user it registers with its
// recognisable prefix, and closes every session it opened.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busiestWindow, createAccountingHive } from '../../fixtures/hostile/accounting.js';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import { peerMap } from '../../src/peer/domains.js';
import type { RunReport } from '../../src/generated/schemas.js';
import { freePort } from '../../src/runner/free-port.js';
import { ALL_CHECKS } from '../../suites/catalog.js';
import { explain, runChecks, testSettings, TEST_DOMAIN } from '../support/run-checks.js';

const dirs: string[] = [];
beforeAll(ensureCliBuilt, 180_000);
afterAll(async () => void (await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))));

// Two Hives of their own: the rate-bound run mostly waits, the whole catalog mostly waits on countersign, so they overlap.
describe.concurrent('politeness', () => {
  it('pame run keeps to --concurrency and --rate over all its workers, registers only pamet- users and closes its sessions', async () => {
    // Replies take 100 ms, so a runner that ignored --concurrency would have more requests in flight.
    const { hive, accounting } = createAccountingHive({ domain: TEST_DOMAIN, resolve: {} }, 100);
    const { url } = await hive.listen(0, '127.0.0.1');
    const dir = await mkdtemp(join(tmpdir(), 'pame-polite-'));
    dirs.push(dir);
    try {
      const concurrency = 2;
      const rate = 20;
      // Three suites, so two workers share the budget; two of the checks open sessions from a second address.
      const only = ['PAME-SES-007', 'PAME-MSG-010', 'PAME-CON-001', 'PAME-CON-002'];
      const run = await runCli(['run', '--hive', url, '--report-dir', dir, '--only', ...only, '--concurrency', String(concurrency), '--rate', String(rate), '--reporter', 'json', '--peer-port', '0', '--quiet'], { killAfterMs: 120_000 });
      // A partial run (--only) certifies nothing: verdict incomplete, exit 3; every check it ran passed.
      expect(run.exitCode, run.stdout + run.stderr).toBe(3);
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
      expect(report.verdict).toBe('incomplete');
      expect(report.checks.filter((check) => check.status !== 'passed').map((check) => `${check.id} ${check.status}: ${check.message}`)).toEqual([]);
      const seen = accounting();
      expect(seen.arrivals.length, 'enough requests that the rate bound matters').toBeGreaterThan(rate);
      expect(seen.maxInFlight).toBeLessThanOrEqual(concurrency);
      // Slack of one request per worker: arrival times at the Hive jitter around the starts the limiters spaced out.
      expect(busiestWindow(seen.arrivals, 1000)).toBeLessThanOrEqual(rate + 2);
      expect(seen.registered.length).toBeGreaterThan(0);
      expect(seen.registered.filter((name) => !name.startsWith('pamet-'))).toEqual([]);
      expect(seen.openSessions, 'sessions the run left open').toBe(0);
    } finally {
      await hive.close();
    }
  }, 150_000);

  it('every check of the catalog closes the sessions it opened, from whichever address opened them', async () => {
    const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
    const { hive, accounting } = createAccountingHive({ domain: TEST_DOMAIN, resolve: peerMap(peer) });
    const { url } = await hive.listen(0, '127.0.0.1');
    try {
      const results = await runChecks(ALL_CHECKS, testSettings(url, { peer }));
      const broken = [...results.values()].filter((r) => r.status === 'error');
      expect(broken, explain(broken)).toEqual([]);
      expect(accounting().openSessions).toBe(0);
    } finally {
      await hive.close();
    }
  }, 150_000);
});
