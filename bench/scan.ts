// `node dist/bench/scan.js [--targets 32] [--parallel 1,4,8,16] [--singles-at 4] [--run-args='…']`:
// a scan of many Hives, each in its own process with its own domain (a mix of
// reference Hives and bad Hives), at several --parallel: wall time, runner CPU
// per target, the scan's peak RSS; against the ceiling issue 16 defines: the
// same targets' single runs' summed CPU (runner + Hives) divided by the cores,
// or one single run's wall, whichever is larger.
//
// The single runs: one of each kind of Hive alone (their walls give "one run's
// wall", their CPU a reference), the rest --singles-at at a time, since only
// their CPU counts and one after another they would mostly wait (a run waits
// 11 s for C3). CPU is exact either way: the runners' is this process's reaped
// children's, each Hive's is its own process's, from /proc.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startHiveProcess, type HiveProcess } from '../fixtures/hive-processes.js';
import { runCli } from '../fixtures/hostile/measure.js';
import type { FleetReport } from '../src/generated/schemas.js';
import { peerMap } from '../src/peer/domains.js';
import { freePort } from '../src/runner/free-port.js';
import { PeerFront } from '../src/scan/peer-front.js';
import { pooled } from '../src/scan/pooled.js';
import { cpuOf, machineCpu } from './support/cpu.js';
import { readReport } from './support/run-inputs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    targets: { type: 'string', default: '32' },
    parallel: { type: 'string', default: '1,4,8,16' },
    'singles-at': { type: 'string', default: '4' },
    'run-args': { type: 'string', default: '--seed 1' },
  },
});
const TARGETS = Number(flags.targets);
const PARALLEL = flags.parallel.split(',').map(Number);
const SINGLES_AT = Number(flags['singles-at']);
const RUN_ARGS = flags['run-args'].split(' ').filter(Boolean);
/** A network's mix: one in four Hives conformant, the others each with one defect (nonconformant or bannable). */
const KINDS = ['reference', 'trusts-step-one', 'privacy-answers-user-exists', 'wire-put-accepted', 'reference', 'sessions-any-user', 'msg-escapes-html', 'envelope-iam-optional'];
const CORES = availableParallelism();

interface Target {
  readonly kind: string;
  readonly hive: HiveProcess;
}

const mb = (bytes: number) => bytes / 2 ** 20;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const hivesCpu = async (targets: readonly Target[]) => Promise.all(targets.map(async (t) => (await cpuOf(t.hive.pid)).own));

/**
 * Runs `work`, giving the CPU seconds this process's children reaped meanwhile
 * (the runners), each target's Hive, and the rest of the machine (everything
 * else busy: this bench, other tenants), with the cores' idle seconds.
 */
async function cpuAround<T>(targets: readonly Target[], work: () => Promise<T>): Promise<{ result: T; runnerCpuS: number; hiveCpuS: number[]; othersCpuS: number; idleS: number }> {
  const [runnerBefore, hivesBefore, machineBefore] = [(await cpuOf('self')).children, await hivesCpu(targets), await machineCpu()];
  const result = await work();
  const [runnerAfter, hivesAfter, machineAfter] = [(await cpuOf('self')).children, await hivesCpu(targets), await machineCpu()];
  const runnerCpuS = runnerAfter - runnerBefore;
  const hiveCpuS = hivesAfter.map((after, i) => after - hivesBefore[i]!);
  return { result, runnerCpuS, hiveCpuS, othersCpuS: machineAfter.busy - machineBefore.busy - runnerCpuS - sum(hiveCpuS), idleS: machineAfter.idle - machineBefore.idle };
}

const work = await mkdtemp(join(tmpdir(), 'pame-bench-scan-'));
const peerPort = await freePort('127.0.0.1');
const map = peerMap({ host: '127.0.0.1', port: peerPort });
/** Filled in order once every Hive has started; `started` holds whatever did, to be stopped however the bench ends. */
const targets: Target[] = [];
const started: HiveProcess[] = [];
/** Hives started at once: 32 loading their code together on two cores could outlast the start deadline. */
const STARTING_AT = 8;

/**
 * Certifies one target alone with `pame run`, as the scan would: its domain
 * given, its peer server behind the bench's front on the port the Hives know.
 */
async function singleRun(front: PeerFront, target: Target, index: number) {
  const backendPort = await freePort('127.0.0.1');
  front.route(target.hive.domain, backendPort);
  try {
    const dir = join(work, `single-${index}`);
    const run = await runCli(['run', '--hive', target.hive.url, '--domain', target.hive.domain, '--peer-port', String(backendPort), '--peer-public-url', `http://127.0.0.1:${peerPort}/`, '--report-dir', dir, '--reporter', 'json', '--quiet', ...RUN_ARGS], { killAfterMs: 600_000 });
    return { wallS: run.durationMs / 1000, exitCode: run.exitCode, verdict: (await readReport(dir))?.verdict ?? `exit ${run.exitCode}` };
  } finally {
    front.unroute(target.hive.domain);
  }
}

/** Runs `work` over `items`, `at` at a time. */
async function singles() {
  const front = await PeerFront.start('127.0.0.1', peerPort);
  try {
    // One target of each kind alone, one after another: a single run's wall, and its CPU uncontended.
    const firstOfKind = targets.filter((t, i) => targets.findIndex((other) => other.kind === t.kind) === i);
    const alone: { kind: string; wallS: number; exitCode: number | null; verdict: string; runnerCpuS: number; hiveCpuS: number }[] = [];
    for (const target of firstOfKind) {
      const measured = await cpuAround([target], () => singleRun(front, target, targets.indexOf(target)));
      alone.push({ kind: target.kind, ...measured.result, runnerCpuS: measured.runnerCpuS, hiveCpuS: measured.hiveCpuS[0]! });
      process.stderr.write(`single ${target.kind} alone: ${measured.result.wallS.toFixed(1)} s, ${measured.result.verdict}\n`);
    }
    // The others several at a time: their CPU is what the ceiling needs.
    const rest = targets.filter((t) => !firstOfKind.includes(t));
    const together = await cpuAround(rest, () => pooled(rest, SINGLES_AT, (target) => singleRun(front, target, targets.indexOf(target))));
    process.stderr.write(`${rest.length} singles ${SINGLES_AT} at a time: runner CPU ${together.runnerCpuS.toFixed(1)} s\n`);
    // What the same kinds cost alone, to see how much running them together changed their CPU.
    const aloneCpu = (kind: string) => alone.find((a) => a.kind === kind)!;
    const restAloneCpu = sum(rest.map((t) => aloneCpu(t.kind).runnerCpuS + aloneCpu(t.kind).hiveCpuS));
    const verdicts = new Map<Target, string>([...firstOfKind.map((t, i) => [t, alone[i]!.verdict] as const), ...rest.map((t, i) => [t, together.result[i]!.verdict] as const)]);
    return {
      alone,
      together: { count: rest.length, at: SINGLES_AT, runnerCpuS: together.runnerCpuS, hiveCpuS: sum(together.hiveCpuS), othersCpuS: together.othersCpuS, idleCoreS: together.idleS, ofAloneCpu: rest.length ? (together.runnerCpuS + sum(together.hiveCpuS)) / restAloneCpu : undefined },
      runnerCpuS: sum(alone.map((a) => a.runnerCpuS)) + together.runnerCpuS,
      hiveCpuS: sum(alone.map((a) => a.hiveCpuS)) + sum(together.hiveCpuS),
      longestWallS: Math.max(...alone.map((a) => a.wallS)),
      verdicts,
    };
  } finally {
    await front.close();
  }
}

/** One scan of every target at `parallel`: wall, CPU (runner as a reaped child, Hives from /proc), the scan process's peak RSS, the verdicts. */
async function scan(file: string, parallel: number) {
  const dir = join(work, `scan-${parallel}`);
  const measured = await cpuAround(targets, () => runCli(['scan', '--targets', file, '--parallel', String(parallel), '--peer-port', String(peerPort), '--report-dir', dir, '--reporter', 'json', '--quiet', ...RUN_ARGS], { killAfterMs: 3_600_000 }));
  const fleet = JSON.parse(await readFile(join(dir, 'fleet.json'), 'utf8').catch(() => '{"targets":[]}')) as Pick<FleetReport, 'targets'>;
  const verdictOf = new Map(fleet.targets.map((t) => [t.url, t.verdict]));
  return { parallel, wallS: measured.result.durationMs / 1000, exitCode: measured.result.exitCode, runnerCpuS: measured.runnerCpuS, runnerCpuPerTargetS: measured.runnerCpuS / TARGETS, hiveCpuS: sum(measured.hiveCpuS), othersCpuS: measured.othersCpuS, idleCoreS: measured.idleS, peakRssMb: mb(measured.result.peakRssBytes), verdictOf };
}

type Singles = Awaited<ReturnType<typeof singles>>;
type Scan = Omit<Awaited<ReturnType<typeof scan>>, 'verdictOf'> & { ofCeiling: number; disagreements: string[] };

/** bench/results/scan.json and scan.md, from the single runs and the scans measured so far. */
async function writeResults(single: Singles, ceilingS: number, scans: readonly Scan[]): Promise<string> {
  const best = scans.reduce((a, b) => (b.wallS < a.wallS ? b : a));
  const verdictCounts: Record<string, number> = {};
  for (const verdict of single.verdicts.values()) verdictCounts[verdict] = (verdictCounts[verdict] ?? 0) + 1;
  const command = `node dist/bench/scan.js --targets ${TARGETS} --parallel ${PARALLEL.join(',')} --singles-at ${SINGLES_AT} --run-args='${RUN_ARGS.join(' ')}'`;
  const peakRssMb = Math.max(...scans.map((s) => s.peakRssMb));
  const result = {
    date: new Date().toISOString(), command, cores: CORES, node: process.version, targets: TARGETS, runArgs: RUN_ARGS.join(' '),
    mix: Object.fromEntries(KINDS.filter((k, i) => KINDS.indexOf(k) === i && i < TARGETS).map((kind) => [kind, targets.filter((t) => t.kind === kind).length])),
    verdicts: verdictCounts,
    singles: { alone: single.alone, together: single.together, runnerCpuS: single.runnerCpuS, hiveCpuS: single.hiveCpuS, longestWallS: single.longestWallS },
    ceilingS, scans,
    ...(scans.length < PARALLEL.length ? { partial: `${scans.length} of the ${PARALLEL.length} scans measured` } : {}),
    best: { parallel: best.parallel, wallS: best.wallS, ofCeiling: best.ofCeiling, peakRssMb: best.peakRssMb },
    targetsMet: { wallWithin1_3xCeiling: best.ofCeiling <= 1.3, peakRssUnder1_5GB: peakRssMb < 1536 },
  };
  const f = (n: number) => n.toFixed(2);
  const together = single.together;
  const md = [
    `# pame scan: ${TARGETS} Hives in separate processes, ${CORES} cores (${result.date})`,
    '',
    `Command: \`npm run build && ${command}\`. Every run: \`${result.runArgs}\`.${result.partial ? ` Partial: ${result.partial}.` : ''}`,
    `Mix: ${Object.entries(result.mix).map(([kind, n]) => `${n} ${kind}`).join(', ')}; verdicts of the single runs: ${Object.entries(verdictCounts).map(([v, n]) => `${n} ${v}`).join(', ')}.`,
    '',
    `Ceiling ${f(ceilingS)} s: the ${TARGETS} single runs' CPU (runner ${f(single.runnerCpuS)} s + Hives ${f(single.hiveCpuS)} s) / ${CORES} cores, or the longest single run (${f(single.longestWallS)} s), whichever is larger.`,
    `Single runs: one Hive of each of the ${single.alone.length} kinds alone, one after another (walls ${single.alone.map((a) => `${a.kind} ${f(a.wallS)} s`).join(', ')}); ` +
      (together.count ? `the other ${together.count} ${together.at} at a time, only their CPU counting: ${f(together.ofAloneCpu!)}× what the same kinds cost alone (other processes meanwhile ${f(together.othersCpuS)} s).` : 'no others.'),
    'CPU from /proc: the runners as reaped children of the bench, each Hive its own process; "other processes" is the rest of the machine\'s busy time meanwhile (this bench, anyone else), "cores idle" its idle time. Peak RSS: the largest VmHWM of the scan process (one process; its runs are threads), sampled every 25 ms.',
    '',
    '| --parallel | wall | × ceiling | runner CPU per target | Hive CPU (all) | other processes\' CPU | cores idle | peak RSS | exit | verdicts unlike the single runs |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[...scans].sort((a, b) => a.parallel - b.parallel).map((s) => `| ${s.parallel} | ${f(s.wallS)} s | ${f(s.ofCeiling)} | ${f(s.runnerCpuPerTargetS)} s | ${f(s.hiveCpuS)} s | ${f(s.othersCpuS)} s | ${f(s.idleCoreS)} s | ${Math.round(s.peakRssMb)} MB | ${s.exitCode} | ${s.disagreements.length} |`),
    '',
    `Best: --parallel ${best.parallel}, ${f(best.wallS)} s = ${f(best.ofCeiling)}× the ceiling (target 1.3×: ${result.targetsMet.wallWithin1_3xCeiling ? 'met' : 'not met'}); ` +
      `peak RSS at most ${Math.round(peakRssMb)} MB (target under 1.5 GB: ${result.targetsMet.peakRssUnder1_5GB ? 'met' : 'not met'}).`,
    ...scans.flatMap((s) => s.disagreements.map((d) => `- --parallel ${s.parallel}: ${d}`)),
    '',
  ].join('\n');
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(join(root, 'bench', 'results', 'scan.json'), JSON.stringify(result, null, 2) + '\n');
  await writeFile(join(root, 'bench', 'results', 'scan.md'), md);
  return md;
}

try {
  targets.push(
    ...(await pooled(Array.from({ length: TARGETS }, (_, i) => i), STARTING_AT, async (i) => {
      const kind = KINDS[i % KINDS.length]!;
      const hive = await startHiveProcess(kind, `hive-${i}.bench.example`, map);
      started.push(hive);
      return { kind, hive };
    })),
  );
  const file = join(work, 'targets.txt');
  await writeFile(file, targets.map((t) => t.hive.url).join('\n'));
  const single = await singles();
  const ceilingS = Math.max((single.runnerCpuS + single.hiveCpuS) / CORES, single.longestWallS);
  const scans: Scan[] = [];
  let md = '';
  for (const parallel of PARALLEL) {
    const { verdictOf, ...figures } = await scan(file, parallel);
    // A scan that judged a Hive otherwise than its single run did would make its speed worthless.
    const disagreements = targets.filter((t) => verdictOf.get(t.hive.url) !== single.verdicts.get(t)).map((t) => `${t.hive.domain} (${t.kind}): scan ${verdictOf.get(t.hive.url) ?? 'none'}, single ${single.verdicts.get(t)}`);
    scans.push({ ...figures, ofCeiling: figures.wallS / ceilingS, disagreements });
    process.stderr.write(`scan --parallel ${parallel}: ${figures.wallS.toFixed(1)} s, ${Math.round(figures.peakRssMb)} MB, ${disagreements.length} verdicts unlike the single runs'\n`);
    // Written after every scan, so that a run cut short still leaves what it measured.
    md = await writeResults(single, ceilingS, scans);
  }
  process.stdout.write(md);
} finally {
  await Promise.all(started.map((hive) => hive.stop()));
  await rm(work, { recursive: true, force: true });
}
