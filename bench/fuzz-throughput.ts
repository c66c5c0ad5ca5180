// Fuzz throughput against the reference Hive, next to the ceiling an HTTP load
// tool reaches on the same Hive in the same run (target: at least half of it).
// Run: npm run build && node dist/bench/fuzz-throughput.js [fuzz-runs] [concurrency] [check ids, comma-separated]
// BENCH_PROFILE=<dir> writes the Hive's CPU profile there; node --cpu-prof profiles the fuzzer.
// Not part of npm test: the figures depend on the machine and its load.
import autocannon from 'autocannon';
import { startHiveProcess } from '../fixtures/hive-processes.js';
import { createEnvironment } from '../src/checks/environment.js';
import { executeCheck } from '../src/checks/execute.js';
import { peerMap } from '../src/peer/domains.js';
import { freePort } from '../src/runner/run.js';
import { fuzzSuite } from '../suites/fuzz.js';
import { cpuDuring } from './support/cpu.js';
import { BENCH_DOMAIN, benchSettings } from './support/run-inputs.js';

const FUZZ_RUNS = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const ONLY = process.argv[4]?.split(',');
const CEILING_SECONDS = 5;

interface Rate {
  readonly id: string;
  readonly requests: number;
  readonly seconds: number;
  /** CPU per request, in microseconds, of the sender (fuzzer or load tool) and of the Hive. */
  readonly senderUs: number;
  readonly hiveUs: number;
}

/** Epost_ping over keep-alive connections as fast as the Hive answers: what its HTTP stack can take. */
async function ceiling(url: string, hivePid: number): Promise<Rate> {
  const { result, selfUs, otherUs } = await cpuDuring(hivePid, () => autocannon({ url, connections: CONCURRENCY, duration: CEILING_SECONDS, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"w":"Epost_ping","iam":"bench"}' }));
  const requests = result.requests.total;
  return { id: 'autocannon Epost_ping', requests, seconds: result.duration, senderUs: selfUs / requests, hiveUs: otherUs / requests };
}

/**
 * Runs one fuzz check and reads its requests and the seconds its batch took
 * from the note it leaves. CPU is the whole check's (arranging users included).
 */
async function fuzzRate(url: string, hivePid: number, id: string): Promise<Rate> {
  const env = await createEnvironment(benchSettings(url, { concurrency: CONCURRENCY, fuzzRuns: FUZZ_RUNS }));
  try {
    const { result, selfUs, otherUs } = await cpuDuring(hivePid, () => executeCheck(fuzzSuite.checks.find((check) => check.id === id)!, env));
    if (result.status !== 'passed') throw new Error(`${id} ${result.status}: ${result.message}`);
    const match = /(\d+) requests in ([\d.]+) s/.exec(result.notes?.[0] ?? '');
    if (!match) throw new Error(`${id} left no throughput note`);
    const requests = Number(match[1]);
    return { id, requests, seconds: Number(match[2]), senderUs: selfUs / requests, hiveUs: otherUs / requests };
  } finally {
    await env.close();
  }
}

// Its peer domains point at a port nobody serves, so a relay's step 2 fails at once rather than waiting on DNS.
const hive = await startHiveProcess('reference', BENCH_DOMAIN, peerMap({ host: '127.0.0.1', port: await freePort('127.0.0.1') }));
try {
  // Warm both paths up once, so that neither figure pays for compiling.
  await autocannon({ url: hive.url, connections: 1, amount: 200, method: 'POST', body: '{"w":"Epost_ping","iam":"bench"}' });
  const rates = [];
  for (const check of fuzzSuite.checks.filter((c) => !ONLY || ONLY.includes(c.id))) rates.push(await fuzzRate(hive.url, hive.pid, check.id));
  const top = await ceiling(hive.url, hive.pid);
  const requests = rates.reduce((sum, r) => sum + r.requests, 0);
  const seconds = rates.reduce((sum, r) => sum + r.seconds, 0);
  const fuzz = requests / seconds;
  const ceilingRate = top.requests / top.seconds;
  // How busy the fuzzer kept the Hive: its CPU (nearly all spent while the batch ran) over the batch's seconds, in cores.
  const hiveCores = (r: Rate) => (r.hiveUs * r.requests) / 1e6 / r.seconds;
  const cost = (r: Rate) => `CPU per request: sender ${r.senderUs.toFixed(0)} µs, Hive ${r.hiveUs.toFixed(0)} µs; Hive busy ${hiveCores(r).toFixed(2)} cores`;
  const lines = [
    `command: npm run build && node dist/bench/fuzz-throughput.js ${FUZZ_RUNS} ${CONCURRENCY}`,
    `ceiling: autocannon, Epost_ping, ${CONCURRENCY} connections, ${CEILING_SECONDS} s: ${ceilingRate.toFixed(0)} requests/s; ${cost(top)}`,
    ...rates.map((r) => `${r.id}: ${r.requests} requests in ${r.seconds.toFixed(2)} s, ${(r.requests / r.seconds).toFixed(0)} requests/s; ${cost(r)}`),
    `fuzzing (seed 42, --fuzz-runs ${FUZZ_RUNS}, --concurrency ${CONCURRENCY}): ${fuzz.toFixed(0)} requests/s, ${(fuzz / ceilingRate).toFixed(2)} of the ceiling (target 0.5); ` +
      `Hive busy ${(rates.reduce((sum, r) => sum + r.hiveUs * r.requests, 0) / 1e6 / seconds).toFixed(2)} cores while fuzzing, ${hiveCores(top).toFixed(2)} under the ceiling`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await hive.stop();
}
