// `pame scan` end to end, as a network runs it: Hives in processes of their
// own (conformant, nonconformant, bannable; distinct domains) all given one
// domain map, scanned 3 at a time behind one peer endpoint; then the same
// scan as 2 shards joined by `pame merge`. A few checks per Hive, each one
// that catches one of the bad Hives, keep this to seconds.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import type { FleetReport } from '../../src/generated/schemas.js';
import { peerMap } from '../../src/peer/domains.js';
import { freePort } from '../../src/runner/free-port.js';
import { startHiveProcess, type HiveProcess } from '../../fixtures/hive-processes.js';

/**
 * Each Hive's kind and the verdict the checks below give it. The scan runs a few checks, so a Hive none
 * of them fails is 'incomplete' (a partial run certifies nothing); the others fail and stand.
 */
const FLEET = [
  { kind: 'reference', domain: 'good-one.example', verdict: 'incomplete' },
  { kind: 'reference', domain: 'good-two.example', verdict: 'incomplete' },
  { kind: 'trusts-step-one', domain: 'step-one.example', verdict: 'nonconformant' },
  { kind: 'wire-put-accepted', domain: 'put.example', verdict: 'nonconformant' },
  { kind: 'privacy-answers-user-exists', domain: 'user-exists.example', verdict: 'bannable' },
  { kind: 'sessions-any-user', domain: 'any-user.example', verdict: 'nonconformant' },
] as const;
/** The checks that catch the bad Hives above, and the ping. */
const CHECKS = ['--only', 'PAME-PING-001', 'PAME-CS-003', 'PAME-WIRE-014', 'PAME-PRIV-001', 'PAME-SES-006', '--fuzz-runs', '0', '--seed', '7', '--reporter', 'json', 'summary', '--quiet'];

let work: string;
let peerPort: number;
let hives: HiveProcess[] = [];
let targetsFile: string;

beforeAll(async () => {
  await ensureCliBuilt();
  work = await mkdtemp(join(tmpdir(), 'pame-scan-'));
  peerPort = await freePort('127.0.0.1');
  const map = peerMap({ host: '127.0.0.1', port: peerPort });
  hives = await Promise.all(FLEET.map((h) => startHiveProcess(h.kind, h.domain, map)));
  targetsFile = join(work, 'targets.txt');
  await writeFile(targetsFile, ['# the fleet', ...hives.map((h) => `${h.url}   # ${h.domain}`)].join('\n'));
}, 180_000);

afterAll(async () => {
  await Promise.all(hives.map((hive) => hive.stop()));
  await rm(work, { recursive: true, force: true });
});

const readFleet = async (dir: string): Promise<FleetReport> => JSON.parse(await readFile(join(dir, 'fleet.json'), 'utf8')) as FleetReport;
const scan = (dir: string, ...extra: string[]) => runCli(['scan', '--targets', targetsFile, '--report-dir', dir, '--peer-port', String(peerPort), ...CHECKS, ...extra], { killAfterMs: 120_000 });
/** fleet.json without what differs between runs: timings. */
const untimed = (fleet: FleetReport) => ({ ...fleet, durationMs: undefined, targets: fleet.targets.map((t) => ({ ...t, durationMs: undefined })) });

describe('pame scan', () => {
  let unsharded: FleetReport;

  it('certifies 6 Hives 3 at a time, each behind the one peer endpoint, and exits with the worst verdict', async () => {
    const dir = join(work, 'all');
    const run = await scan(dir, '--parallel', '3');
    expect(run.exitCode, run.stderr).toBe(2);
    // Node's warnings (a listener "leak", a deprecation) are noise in every scan's output.
    expect(run.stderr).not.toMatch(/Warning/);
    unsharded = await readFleet(dir);
    const byDomain = new Map(unsharded.targets.map((t) => [t.domain, t]));
    expect(FLEET.map((h) => [h.domain, byDomain.get(h.domain)?.verdict])).toEqual(FLEET.map((h) => [h.domain, h.verdict]));
    for (const target of unsharded.targets) {
      // Countersign ran for every Hive through the shared endpoint: CS-003 passed or failed, never skipped.
      const report = JSON.parse(await readFile(join(dir, target.reportDir, 'report.json'), 'utf8')) as { checks: { id: string; status: string }[] };
      expect(report.checks.find((c) => c.id === 'PAME-CS-003')?.status, target.domain!).toBe(target.domain === 'step-one.example' ? 'failed' : 'passed');
      expect(target.reportDir).toMatch(/^[a-z0-9.-]+-[0-9a-f]{10}$/);
    }
    expect(unsharded.options.seed).toBe(7);
    expect(unsharded.notes).toBeUndefined();
    const md = await readFile(join(dir, 'fleet.md'), 'utf8');
    expect(md.indexOf('user-exists.example')).toBeLessThan(md.indexOf('step-one.example'));
    expect(md.indexOf('step-one.example')).toBeLessThan(md.indexOf('good-one.example'));
    const html = await readFile(join(dir, 'fleet.html'), 'utf8');
    for (const target of unsharded.targets) expect(html).toContain(`href="${target.reportDir}/summary.md"`);
    expect((await readdir(dir)).sort()).toEqual([...unsharded.targets.map((t) => t.reportDir), 'fleet.html', 'fleet.json', 'fleet.md'].sort());
  }, 120_000);

  it('as 2 shards joined by pame merge gives the same fleet, and merge refuses overlapping shards', async () => {
    const shards = [join(work, 'shard-1'), join(work, 'shard-2')];
    for (const [i, dir] of shards.entries()) {
      const run = await scan(dir, '--parallel', '3', '--shard', `${i + 1}/2`);
      expect([1, 2, 3], run.stderr).toContain(run.exitCode);
      expect((await readFleet(dir)).targets).toHaveLength(3);
    }
    const merged = join(work, 'merged');
    const merge = await runCli(['merge', ...shards, '--report-dir', merged]);
    expect(merge.exitCode, merge.stderr).toBe(2);
    expect(untimed(await readFleet(merged))).toEqual(untimed(unsharded));
    for (const target of unsharded.targets) await readFile(join(merged, target.reportDir, 'report.json'));
    // Two fleets of the same Hives, checks and seed: pame diff finds nothing newly failing.
    const diff = await runCli(['diff', join(work, 'all'), merged]);
    expect(diff.exitCode, diff.stderr).toBe(0);
    expect(diff.stdout.trim().split('\n')).toHaveLength(FLEET.length);
    const overlapping = await runCli(['merge', shards[0]!, shards[0]!, '--report-dir', join(work, 'refused')]);
    expect(overlapping.exitCode).toBe(3);
    expect(overlapping.stderr).toMatch(/the shards overlap/);
  }, 120_000);

  it('refuses, before starting, two targets of one domain', async () => {
    const run = await runCli(['scan', '--targets', `${hives[0]!.url} --domain same.example`, `${hives[1]!.url} --domain same.example`, '--report-dir', join(work, 'same'), ...CHECKS]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/both Hives of "same.example"/);
  }, 60_000);
});
