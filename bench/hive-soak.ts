// The reference Hive under the runner's own fuzzing at 10× the default budget
// (issue 7, item 4): every fuzz check must pass, which means no reply was a
// 5xx or anything but a protocol reply, and the Hive's memory must level off.
// The Hive runs as `pame hive` in its own process, so its memory is its own.
// Run: npm run build && node dist/bench/hive-soak.js [MULTIPLIER] [SEED]
// Not part of npm test: it sends tens of thousands of requests. Linux only.
import { randomBytes } from 'node:crypto';
import { startHiveProcess } from '../fixtures/hive-processes.js';
import { samplePeakMemory } from '../fixtures/hostile/measure.js';
import { createEnvironment } from '../src/checks/environment.js';
import { executeCheck } from '../src/checks/execute.js';
import { peerMap } from '../src/peer/domains.js';
import { DEFAULT_RUN_OPTIONS as D } from '../src/runner/options.js';
import { freePort } from '../src/runner/free-port.js';
import { fuzzSuite } from '../suites/fuzz.js';
import { BENCH_DOMAIN, benchSettings } from './support/run-inputs.js';

const multiplier = Number(process.argv[2] ?? 10);
const seed = Number(process.argv[3] ?? 20261125);

const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
const hive = await startHiveProcess('reference', BENCH_DOMAIN, peerMap(peer));
const url = hive.url;
const memory = samplePeakMemory(hive.pid);
const startBytes = memory.peakBytes();

const settings = benchSettings(url, {
  checkTimeoutMs: 3_600_000,
  userPrefix: `pamet-soak-${randomBytes(3).toString('hex')}-`,
  secondSourceAddress: '127.0.0.2',
  seed,
  fuzzRuns: D.fuzzRuns * multiplier,
  peer,
});
const started = Date.now();
const env = await createEnvironment(settings);
const results = [];
// One after the other, so the memory figures after each say what each cost.
for (const check of fuzzSuite.checks) {
  const result = await executeCheck(check, env);
  results.push(result);
  const mib = (memory.peakBytes() / 1024 / 1024).toFixed(0);
  process.stdout.write(`${result.id} ${result.status.padEnd(7)} Hive peak ${mib} MiB  ${result.notes?.[0] ?? result.message.split('\n')[0]}\n`);
}
await env.close();
const peakBytes = memory.stop();
await hive.stop();

const failed = results.filter((r) => r.status !== 'passed');
process.stdout.write(
  `\n--fuzz-runs ${settings.fuzzRuns} (${multiplier}× the default), seed ${seed}, ${((Date.now() - started) / 1000).toFixed(0)} s\n` +
    `Hive resident memory: ${(startBytes / 1024 / 1024).toFixed(0)} MiB at start, ${(peakBytes / 1024 / 1024).toFixed(0)} MiB at its peak\n` +
    (failed.length === 0 ? 'every fuzz check passed: no 5xx, every reply a protocol reply\n' : failed.map((r) => `${r.id} ${r.status}: ${r.message}`).join('\n') + '\n'),
);
process.exitCode = failed.length === 0 ? 0 : 1;
