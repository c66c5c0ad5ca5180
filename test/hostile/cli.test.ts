// `pame run` (the built CLI, as a user runs it) against every hostile Hive:
// it ends within its deadline, with exit 1, 2 or 3 (never 0), a report naming what went
// wrong, no request anywhere but the target, and under 300 MB of memory.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_HIVES, startHostile, type RunningHostile } from '../../fixtures/hostile/hives.js';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import type { RunReport } from '../../src/generated/schemas.js';

const MAX_RSS_BYTES = 300 * 1024 * 1024;
const MAX_DURATION_MS = 20_000;
/** Past --max-duration: the grace running checks get and vitest's shutdown (src/runner/run.ts). */
const SHUTDOWN_SLACK_MS = 8_000;
const T10_CHECK = 'PAME-WIRE-028';
/** Short deadlines and one suite keep this file fast; over https the T10 check runs too. */
const quick = (tls = false): string[] => ['--timeout-ms', '1000', '--max-duration', String(MAX_DURATION_MS), '--only', 'PAME-PING', ...(tls ? [T10_CHECK] : []), '--reporter', 'json', '--peer-port', '0', '--quiet'];

const dirs: string[] = [];
beforeAll(ensureCliBuilt, 180_000);
afterAll(async () => void (await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))));

/** Runs the CLI against a running hostile Hive and reads the report it wrote. */
async function pameRun(running: RunningHostile, extra: readonly string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'pame-hostile-'));
  dirs.push(dir);
  const run = await runCli(['run', '--hive', running.url, '--report-dir', dir, ...extra], { killAfterMs: MAX_DURATION_MS + 30_000 });
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8').catch(() => 'null')) as RunReport | null;
  return { run, report };
}

const failures = (report: RunReport | null): string => (report?.checks ?? []).filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.message}`).join('\n');

describe.concurrent.each(HOSTILE_HIVES.map((h) => [h.name, h] as const))('pame run against the hostile Hive %s', (name, hostile) => {
  it(`ends in time with exit 1, 2 or 3 and a report naming the fault (${hostile.does})`, async () => {
    const running = await startHostile(name);
    try {
      const { run, report } = await pameRun(running, quick(hostile.tls));
      expect([1, 2, 3], run.stderr).toContain(run.exitCode);
      expect(run.durationMs).toBeLessThan(MAX_DURATION_MS + SHUTDOWN_SLACK_MS);
      expect(report, run.stderr).not.toBeNull();
      expect(failures(report)).toMatch(hostile.reported);
      expect(report!.insecure).toBe(false);
      expect(run.peakRssBytes).toBeLessThan(MAX_RSS_BYTES);
      expect(running.strayRequests(), 'requests reached the host a redirect named').toBe(0);
      if (hostile.tls) expect(report!.checks.find((c) => c.id === T10_CHECK)?.message, 'T10 fails naming the certificate error').toMatch(hostile.reported);
    } finally {
      await running.close();
    }
  }, 60_000);
});

// Concurrent like the runs above, so the whole run against quadratic-bait overlaps them instead of adding its time after them.
describe.concurrent('pame run limits', () => {
  it('--max-duration bounds a run whose checks would outlast it, and the report says the run was cut', async () => {
    const running = await startHostile('silent');
    try {
      // Each request would wait 5 s, the ping check 10 s and more: the 2 s run deadline must cut it.
      const { run, report } = await pameRun(running, ['--timeout-ms', '5000', '--max-duration', '2000', '--only', 'PAME-PING', '--reporter', 'json', '--peer-port', '0', '--quiet']);
      expect(run.exitCode, run.stderr).toBe(3);
      expect(run.durationMs).toBeLessThan(2_000 + SHUTDOWN_SLACK_MS);
      expect(report!.complete).toBe(false);
      expect((report!.notes ?? []).join('\n')).toMatch(/--max-duration 2000 ms/);
    } finally {
      await running.close();
    }
  }, 60_000);

  it('a whole run against the quadratic-bait Hive ends in under a minute, failing F3, and is not conformant (issue 13: it used to stall to an "allow")', async () => {
    const running = await startHostile('quadratic-bait');
    try {
      const { run, report } = await pameRun(running, ['--timeout-ms', '2000', '--max-duration', '60000', '--reporter', 'json', '--peer-port', '0', '--quiet']);
      expect(run.durationMs).toBeLessThan(60_000);
      expect(report, run.stderr).not.toBeNull();
      expect(report!.checks.some((c) => c.status === 'failed' && c.failures.some((f) => f.rule === 'F3'))).toBe(true);
      expect(report!.verdict).toBe('bannable');
      expect(report!.decision?.action).toBe('ban');
      expect(run.exitCode).toBe(2);
    } finally {
      await running.close();
    }
  }, 120_000);

  it('--insecure gets past a bad certificate, and the report says the run was insecure', async () => {
    const running = await startHostile('tls-expired');
    try {
      const { run, report } = await pameRun(running, [...quick(true), '--insecure']);
      expect(report, run.stderr).not.toBeNull();
      expect(report!.insecure).toBe(true);
      expect(report!.checks.find((c) => c.id === 'PAME-PING-001')?.status, failures(report)).toBe('passed');
    } finally {
      await running.close();
    }
  }, 60_000);
});
