// `npm run bench`: the figures issue 9 names, measured on this machine in one run.
// Benchmarks are not tests: nothing in `npm test` depends on them. Results go to
// bench/results/latest.json and bench/results/latest.md; the README quotes them.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { HiveClient } from '../src/client/client.js';
import type { RunReport } from '../src/generated/schemas.js';
import { startHiveProcess } from '../fixtures/hive-processes.js';
import { CLI } from '../fixtures/hostile/measure.js';
import { cpuOf } from './support/cpu.js';
import { peerMap } from '../src/peer/domains.js';
import { freePort } from '../src/runner/free-port.js';
import { BENCH_DOMAIN, readReport } from './support/run-inputs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
/** The check that must wait past the 10 s C3 gives step 2: the floor of a full run (docs/benchmarks.md). */
const C3_WAIT_CHECK = 'PAME-CS-007';

interface Timed {
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly report?: RunReport;
}

async function pame(args: string[]): Promise<Timed> {
  const dir = await mkdtemp(join(tmpdir(), 'pame-bench-'));
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', '--report-dir', dir, '--reporter', 'json', '--quiet', ...(args.includes('--peer-port') ? [] : ['--peer-port', '0']), ...args], { stdio: 'ignore' });
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallMs = performance.now() - started;
  const report = await readReport(dir);
  await rm(dir, { recursive: true, force: true });
  return { wallMs, exitCode, ...(report ? { report } : {}) };
}

function stats(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

async function repeat(args: string[]): Promise<{ median: number; min: number; max: number; verdicts: string[] }> {
  const runs: Timed[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await pame(args));
  return { ...stats(runs.map((r) => r.wallMs)), verdicts: [...new Set(runs.map((r) => r.report?.verdict ?? `exit ${r.exitCode}`))] };
}

/**
 * Where the time of one full run against a separate Hive process goes: start-up, collection
 * and checks as the run reports them (report.json timings), CPU from /proc for the whole
 * runner process (start-up and exit included) and for the Hive.
 */
async function split(url: string, hivePid: number, peerPort: number) {
  const hiveBefore = await cpuOf(hivePid);
  const runnerBefore = await cpuOf('self');
  const run = await pame(['--hive', url, '--peer-port', String(peerPort)]);
  const runnerCpuMs = ((await cpuOf('self')).children - runnerBefore.children) * 1000;
  const hiveCpuMs = ((await cpuOf(hivePid)).own - hiveBefore.own) * 1000;
  const timings = run.report?.timings;
  return {
    wallMs: run.wallMs,
    startupMs: timings?.startupMs,
    collectMs: timings?.collectMs,
    checksMs: timings?.checksMs,
    runnerCpuMs,
    hiveCpuMs,
    runnerCpuShare: runnerCpuMs / run.wallMs,
    // The runner's own time on the critical path: nothing of the Hive's runs before the first check or after the last.
    outsideChecksShare: timings ? (run.wallMs - timings.checksMs) / run.wallMs : undefined,
    verdict: run.report?.verdict,
    skipped: run.report?.counts.skipped,
  };
}

/**
 * The client's own request rate against the Hive, next to an HTTP load tool's
 * ceiling on the same Hive. The machine's speed drifts (other tenants, CPU
 * frequency), so each round measures the two back to back and the ratio is
 * taken per round; the median round is reported, with the spread.
 */
async function clientVersusCeiling(url: string, concurrency = 32, requests = 20_000) {
  const rounds = [];
  for (let round = 0; round < REPEATS; round++) {
    const ceiling = await autocannon({ url, connections: concurrency, duration: 3, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"w":"Epost_ping","iam":"bench"}' });
    const client = new HiveClient(url, { concurrency });
    const started = performance.now();
    let sent = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (sent < requests) {
        sent++;
        await client.call('Epost_ping', { iam: 'bench' });
      }
    }));
    const clientRps = requests / ((performance.now() - started) / 1000);
    await client.close();
    rounds.push({ ceilingRps: ceiling.requests.average, clientRps, ratio: clientRps / ceiling.requests.average });
  }
  const byRatio = [...rounds].sort((a, b) => a.ratio - b.ratio);
  return { ...byRatio[Math.floor(byRatio.length / 2)]!, ratioMin: byRatio[0]!.ratio, ratioMax: byRatio.at(-1)!.ratio, rounds: rounds.length };
}

/** The reference Hive under load: a cheap request and a session request that reads a conversation. */
async function hiveUnderLoad(url: string) {
  const client = new HiveClient(url);
  const pass = 'bench-password';
  await client.call('Epost_user_register', { iam: 'benchuser', pass });
  const open = await client.call('Epost_session_open', { iam: 'benchuser', pass });
  const session = (open.reply?.json as { session: string }).session;
  const sent = await client.call('Epost_msg_send', { iam: 'benchuser', to: ['benchuser'], body: 'hello' }, { session });
  const conv = (sent.reply?.json as { conv: string }).conv;
  await client.close();
  const load = async (name: string, body: unknown) => {
    const result = await autocannon({ url, connections: 32, duration: 5, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { request: name, rps: result.requests.average, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, errors: result.errors + result.non2xx };
  };
  return [
    await load('Epost_ping', { w: 'Epost_ping', iam: 'bench' }),
    await load('Epost_conv_old', { w: 'Epost_conv_old', iam: 'benchuser', session, conv }),
  ];
}

function markdown(results: Awaited<ReturnType<typeof measure>>): string {
  const ms = (n: number | undefined) => (n === undefined ? 'n/a' : `${(n / 1000).toFixed(2)} s`);
  const pct = (n: number | undefined) => (n === undefined ? 'n/a' : `${(n * 100).toFixed(0)} %`);
  const lines = [
    `# Benchmark results (${results.date}, ${results.machine})`,
    '',
    'Command: `npm run build && npm run bench`',
    '',
    `| run | median | min | max | verdicts |`,
    `|---|---|---|---|---|`,
    `| full default \`pame run\` (embedded Hive), ${REPEATS} runs | ${ms(results.full.median)} | ${ms(results.full.min)} | ${ms(results.full.max)} | ${results.full.verdicts.join(', ')} |`,
    `| \`pame run --fuzz-runs 0\`, ${REPEATS} runs | ${ms(results.noFuzz.median)} | ${ms(results.noFuzz.min)} | ${ms(results.noFuzz.max)} | ${results.noFuzz.verdicts.join(', ')} |`,
    `| \`pame run --skip ${C3_WAIT_CHECK}\` (everything but C3's 11 s wait), ${REPEATS} runs | ${ms(results.withoutC3Wait.median)} | ${ms(results.withoutC3Wait.min)} | ${ms(results.withoutC3Wait.max)} | ${results.withoutC3Wait.verdicts.join(', ')} |`,
    '',
    '## Where the time goes (one full run against `pame hive` in its own process)',
    '',
    `| wall | process + vitest start-up | suite collection (summed over files) | checks (first start to last end) | outside the checks / wall | runner CPU | Hive CPU | runner CPU / wall | verdict |`,
    `|---|---|---|---|---|---|---|---|---|`,
    `| ${ms(results.split.wallMs)} | ${ms(results.split.startupMs)} | ${ms(results.split.collectMs)} | ${ms(results.split.checksMs)} | ${pct(results.split.outsideChecksShare)} | ${ms(results.split.runnerCpuMs)} | ${ms(results.split.hiveCpuMs)} | ${pct(results.split.runnerCpuShare)} | ${results.split.verdict} (${results.split.skipped} skipped) |`,
    '',
    '## Client rate against the ceiling (Epost_ping, 32 connections; the median round)',
    '',
    `| autocannon ceiling | HiveClient | ratio |`,
    `|---|---|---|`,
    `| ${results.rate.ceilingRps.toFixed(0)} req/s | ${results.rate.clientRps.toFixed(0)} req/s | ${results.rate.ratio.toFixed(2)} (${results.rate.ratioMin.toFixed(2)}–${results.rate.ratioMax.toFixed(2)} over ${results.rate.rounds} rounds) |`,
    '',
    '## Reference Hive under load (autocannon, 32 connections, 5 s)',
    '',
    `| request | req/s | p50 | p90 | p99 | errors |`,
    `|---|---|---|---|---|---|`,
    ...results.load.map((l) => `| ${l.request} | ${l.rps.toFixed(0)} | ${l.p50} ms | ${l.p90} ms | ${l.p99} ms | ${l.errors} |`),
    '',
    '## Scaling (one run each, embedded Hive)',
    '',
    `| fuzz runs | wall | | concurrency | wall |`,
    `|---|---|---|---|---|`,
    ...results.fuzzScaling.map((f, i) => `| ${f.fuzzRuns} | ${ms(f.wallMs)} | | ${results.concurrencyScaling[i]?.concurrency ?? ''} | ${results.concurrencyScaling[i] ? ms(results.concurrencyScaling[i]!.wallMs) : ''} |`),
    '',
  ];
  return lines.join('\n');
}

async function measure() {
  const date = new Date().toISOString();
  const machine = `${(await import('node:os')).cpus().length} cores, Node ${process.version}`;
  process.stderr.write(`full runs ×${REPEATS}…\n`);
  const full = await repeat([]);
  process.stderr.write(`fuzz-off runs ×${REPEATS}…\n`);
  const noFuzz = await repeat(['--fuzz-runs', '0']);
  process.stderr.write(`runs without ${C3_WAIT_CHECK} ×${REPEATS}…\n`);
  const withoutC3Wait = await repeat(['--skip', C3_WAIT_CHECK]);
  // The runner's peer server gets a port known in advance, so the Hive's domain map can point at it and countersign runs too.
  const peerPort = await freePort('127.0.0.1');
  const hive = await startHiveProcess('reference', BENCH_DOMAIN, peerMap({ host: '127.0.0.1', port: peerPort }));
  try {
    process.stderr.write('time split…\n');
    const splitResult = await split(hive.url, hive.pid, peerPort);
    process.stderr.write('client rate and Hive load…\n');
    const rate = await clientVersusCeiling(hive.url);
    const load = await hiveUnderLoad(hive.url);
    process.stderr.write('scaling…\n');
    const fuzzScaling = [];
    for (const fuzzRuns of [0, 100, 1_000, 10_000]) fuzzScaling.push({ fuzzRuns, wallMs: (await pame(['--fuzz-runs', String(fuzzRuns), '--max-duration', '600000'])).wallMs });
    const concurrencyScaling = [];
    for (const concurrency of [1, 2, 4, 8]) concurrencyScaling.push({ concurrency, wallMs: (await pame(['--concurrency', String(concurrency)])).wallMs });
    return { date, machine, full, noFuzz, withoutC3Wait, split: splitResult, rate, load, fuzzScaling, concurrencyScaling };
  } finally {
    await hive.stop();
  }
}

const results = await measure();
const dir = join(root, 'bench', 'results');
await mkdir(dir, { recursive: true });
await writeFile(join(dir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
await writeFile(join(dir, 'latest.md'), markdown(results));
process.stdout.write(markdown(results) + '\n');
