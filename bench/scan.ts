// `node dist/bench/scan.js`: a scan of many Hives, each in its own process
// (reference Hives and bad Hives, each with its own domain), at several
// --parallel: wall time, runner CPU per Hive, the scan's peak RSS; against
// the ceiling issue 16 defines: the same Hives' single runs' summed CPU
// (runner + Hives) divided by the cores, or one run's wall, whichever is larger.
//   BENCH_TARGETS (32), BENCH_PARALLEL (1,4,8,16), BENCH_ARGS (run options for every Hive)
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHiveProcess, type HiveProcess } from '../fixtures/hive-processes.js';
import { runCli } from '../fixtures/hostile/measure.js';
import { peerMap } from '../src/peer/domains.js';
import { freePort } from '../src/runner/run.js';
import { cpuOf } from './support/cpu.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TARGETS = Number(process.env.BENCH_TARGETS ?? 32);
const PARALLEL = (process.env.BENCH_PARALLEL ?? '1,4,8,16').split(',').map(Number);
/** CS-007 waits 11 s for a late step 2 whatever the machine: left out, it would only measure the wait. */
const RUN_ARGS = (process.env.BENCH_ARGS ?? '--skip PAME-CS-007 --seed 1').split(' ').filter(Boolean);
/** A mix of a network: one in four Hives conformant, the others each with one defect. */
const KINDS = ['reference', 'trusts-step-one', 'privacy-answers-user-exists', 'wire-put-accepted', 'reference', 'sessions-any-user', 'msg-escapes-html', 'envelope-iam-optional'];

const hiveCpu = async (hives: readonly HiveProcess[]) => (await Promise.all(hives.map((h) => cpuOf(h.pid)))).reduce((sum, c) => sum + c.own, 0);

/** Runs the CLI and gives its wall time, CPU (as a reaped child of this process) and peak RSS, with the Hives' CPU meanwhile. */
async function measured(args: string[], hives: readonly HiveProcess[]) {
  const [runnerBefore, hivesBefore] = [(await cpuOf('self')).children, await hiveCpu(hives)];
  const run = await runCli(args, { killAfterMs: 3_600_000 });
  const [runnerAfter, hivesAfter] = [(await cpuOf('self')).children, await hiveCpu(hives)];
  return { wallS: run.durationMs / 1000, runnerCpuS: runnerAfter - runnerBefore, hiveCpuS: hivesAfter - hivesBefore, peakRssMb: run.peakRssBytes / 2 ** 20, exitCode: run.exitCode };
}

const peerPort = await freePort('127.0.0.1');
const map = peerMap({ host: '127.0.0.1', port: peerPort });
const hives = await Promise.all(Array.from({ length: TARGETS }, (_, i) => startHiveProcess(KINDS[i % KINDS.length]!, `hive-${i}.bench.example`, map)));
const work = await mkdtemp(join(tmpdir(), 'pame-bench-scan-'));
try {
  const targets = join(work, 'targets.txt');
  await writeFile(targets, hives.map((h) => h.url).join('\n'));
  // The ceiling's parts: every Hive certified alone, one after another.
  const singles = [];
  for (const hive of hives) singles.push(await measured(['run', '--hive', hive.url, '--peer-port', String(peerPort), '--report-dir', join(work, 'single'), '--reporter', 'json', '--quiet', ...RUN_ARGS], hives));
  const cores = availableParallelism();
  const summedCpu = singles.reduce((sum, s) => sum + s.runnerCpuS + s.hiveCpuS, 0);
  const ceilingS = Math.max(summedCpu / cores, Math.max(...singles.map((s) => s.wallS)));
  const scans = [];
  for (const parallel of PARALLEL) {
    const scan = await measured(['scan', '--targets', targets, '--parallel', String(parallel), '--peer-port', String(peerPort), '--report-dir', join(work, `scan-${parallel}`), '--reporter', 'json', '--quiet', ...RUN_ARGS], hives);
    scans.push({ parallel, ...scan, runnerCpuPerHiveS: scan.runnerCpuS / TARGETS, ofCeiling: scan.wallS / ceilingS });
  }
  const best = scans.reduce((a, b) => (b.wallS < a.wallS ? b : a));
  const result = {
    date: new Date().toISOString(), cores, targets: TARGETS, runArgs: RUN_ARGS.join(' '),
    singles: { summedWallS: singles.reduce((s, x) => s + x.wallS, 0), summedRunnerCpuS: singles.reduce((s, x) => s + x.runnerCpuS, 0), summedHiveCpuS: singles.reduce((s, x) => s + x.hiveCpuS, 0), longestWallS: Math.max(...singles.map((s) => s.wallS)) },
    ceilingS, scans, best: { parallel: best.parallel, ofCeiling: best.ofCeiling, peakRssMb: best.peakRssMb },
  };
  const f = (n: number) => n.toFixed(2);
  const md = [
    `# pame scan: ${TARGETS} Hives in separate processes, ${cores} cores (${result.date})`,
    '',
    `Run options: \`${result.runArgs}\`. Ceiling ${f(ceilingS)} s: the single runs' CPU (runner ${f(result.singles.summedRunnerCpuS)} s + Hives ${f(result.singles.summedHiveCpuS)} s) / ${cores} cores, or the longest single run (${f(result.singles.longestWallS)} s), whichever is larger. Single runs one after another: ${f(result.singles.summedWallS)} s.`,
    '',
    '| --parallel | wall | × ceiling | runner CPU per Hive | Hive CPU (all) | peak RSS | exit |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...scans.map((s) => `| ${s.parallel} | ${f(s.wallS)} s | ${f(s.ofCeiling)} | ${f(s.runnerCpuPerHiveS)} s | ${f(s.hiveCpuS)} s | ${Math.round(s.peakRssMb)} MB | ${s.exitCode} |`),
    '',
  ].join('\n');
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(join(root, 'bench', 'results', 'scan.json'), JSON.stringify(result, null, 2) + '\n');
  await writeFile(join(root, 'bench', 'results', 'scan.md'), md);
  process.stdout.write(md);
} finally {
  for (const hive of hives) hive.stop();
  await rm(work, { recursive: true, force: true });
}
