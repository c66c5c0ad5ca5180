// pame diff and pame run --rerun-failed, end to end: a broken Hive's run, the
// failed check rerun against the fixed Hive (with the earlier seed, marked
// partial), and the diff of the two both ways.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import type { RunReport } from '../../src/generated/schemas.js';
import { diffReports, type TargetDiff } from '../../src/compare/diff.js';
import { startHiveProcess, type HiveProcess } from '../../fixtures/hive-processes.js';

let work: string;
let broken: HiveProcess;
let fixed: HiveProcess;

beforeAll(async () => {
  await ensureCliBuilt();
  work = await mkdtemp(join(tmpdir(), 'pame-diff-'));
  [broken, fixed] = await Promise.all([startHiveProcess('wire-put-accepted', 'diffed.example', ''), startHiveProcess('reference', 'diffed.example', '')]);
}, 180_000);

afterAll(async () => {
  await Promise.all([broken?.stop(), fixed?.stop()]);
  await rm(work, { recursive: true, force: true });
});

const report = async (dir: string) => JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
const ids = (changes: TargetDiff['newlyFailing']) => changes.map((c) => c.id).sort();

describe('pame diff and --rerun-failed', () => {
  it('reruns only what failed, with its seed, as a partial run; diff names what newly passes and what newly fails', async () => {
    const before = join(work, 'broken');
    const first = await runCli(['run', '--hive', broken.url, '--only', 'PAME-PING-001', 'PAME-WIRE-014', '--seed', '11', '--peer-port', '0', '--reporter', 'json', '--report-dir', before, '--quiet']);
    expect(first.exitCode, first.stderr).toBe(1);

    const after = join(work, 'rerun');
    const rerun = await runCli(['run', '--rerun-failed', before, '--hive', fixed.url, '--peer-port', '0', '--reporter', 'json', '--report-dir', after, '--quiet']);
    const again = await report(after);
    expect(again.checks.map((c) => [c.id, c.status])).toEqual([['PAME-WIRE-014', 'passed']]);
    expect(again.seed).toBe(11);
    expect(again.complete).toBe(false);
    expect(again.notes).toContainEqual(expect.stringMatching(/^partial rerun of the 1 check\(s\) that failed or errored in /));
    expect(rerun.exitCode, 'a partial rerun is never a certification').toBe(3);

    const fixing = await runCli(['diff', before, after]);
    expect(fixing.exitCode, fixing.stderr).toBe(0);
    expect(fixing.stdout).toMatch(/newly passing: PAME-WIRE-014 \(failed → passed\), T3 \(failed → passed\)/);
    const breaking = await runCli(['diff', after, before, '--json']);
    expect(breaking.exitCode).toBe(1);
    const [diff] = JSON.parse(breaking.stdout) as TargetDiff[];
    expect(ids(diff!.newlyFailing)).toEqual(['PAME-WIRE-014', 'T3']);

    const nothing = await runCli(['run', '--rerun-failed', after, '--reporter', 'json', '--report-dir', join(work, 'none'), '--quiet']);
    expect(nothing.exitCode).toBe(3);
    expect(nothing.stderr).toMatch(/nothing to rerun/);
  }, 90_000);

  it('names a check that fails at another level', () => {
    const base = (level: 'MUST' | 'F'): RunReport => ({
      profile: '0.2.1', suiteVersion: '1', target: 'http://h/', verdict: 'nonconformant', complete: true, startedAt: '2026-01-01T00:00:00Z', durationMs: 1, seed: 1,
      counts: { passed: 0, failed: 1, skipped: 0, error: 0, timeout: 0, waived: 0 }, rules: [],
      checks: [{ id: 'PAME-X-001', title: 't', code: 'Epost_ping', rules: ['Q1'], level: 'MUST', status: 'failed', message: 'm', durationMs: 1, failures: [{ rule: 'Q1', level, message: 'm' }] }],
    });
    expect(diffReports('http://h/', base('MUST'), base('F')).levelChanged).toEqual([{ id: 'PAME-X-001', before: 'MUST', after: 'F' }]);
  });

  it('counts a check that ran out of its budget as newly failing, in the check and in its rules', () => {
    const report = (status: 'passed' | 'timeout'): RunReport => ({
      profile: '0.2.1', suiteVersion: '1', target: 'http://h/', verdict: status === 'passed' ? 'conformant' : 'incomplete', complete: true, startedAt: '2026-01-01T00:00:00Z', durationMs: 1, seed: 1,
      counts: { passed: 0, failed: 0, skipped: 0, error: 0, timeout: 0, waived: 0 }, rules: [{ id: 'Q1', level: 'MUST', status, checks: ['PAME-X-001'] }],
      checks: [{ id: 'PAME-X-001', title: 't', code: 'Epost_ping', rules: ['Q1'], level: 'MUST', status, message: 'm', durationMs: 1, failures: [] }],
    });
    const diff = diffReports('http://h/', report('passed'), report('timeout'));
    expect(diff.newlyFailing).toEqual([{ id: 'PAME-X-001', before: 'passed', after: 'timeout' }, { id: 'Q1', before: 'passed', after: 'timeout' }]);
  });
});
