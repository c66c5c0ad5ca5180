// Peak memory of `pame run` against every hostile Hive, and against the
// embedded reference Hive as the baseline: a full run each (no --only), as a
// user would start it. The bound is 300 MB for the whole process tree.
// Run: npm run build && node dist/bench/runner-memory.js [NAME …]
// Not part of npm test: a full run per fixture takes minutes, and figures depend
// on the machine and its load. Linux only (memory is read from /proc).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE_HIVES, startHostile, type RunningHostile } from '../fixtures/hostile/hives.js';
import { runCli, type CliRun } from '../fixtures/hostile/measure.js';
import type { RunReport } from '../src/generated/schemas.js';
import { readReport } from './support/run-inputs.js';

const LIMIT_BYTES = 300 * 1024 * 1024;
/** Generous deadlines, as a first run against an unknown Hive would have; --timeout-ms stays at its default. */
const RUN_ARGS = ['--max-duration', '180000', '--reporter', 'json', '--peer-port', '0', '--quiet'];

const wanted = process.argv.slice(2);
const targets = ['reference', ...HOSTILE_HIVES.map((h) => h.name)].filter((name) => wanted.length === 0 || wanted.includes(name));

async function measure(name: string): Promise<{ run: CliRun; report: RunReport | undefined }> {
  const hostile: RunningHostile | undefined = name === 'reference' ? undefined : await startHostile(name);
  const dir = await mkdtemp(join(tmpdir(), 'pame-memory-'));
  try {
    const run = await runCli(['run', ...(hostile ? ['--hive', hostile.url] : []), '--report-dir', dir, ...RUN_ARGS], { killAfterMs: 240_000 });
    const report = await readReport(dir);
    return { run, report };
  } finally {
    await hostile?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0).padStart(4);
process.stdout.write(`target            exit  seconds  peak MiB  verdict\n`);
let over = 0;
for (const name of targets) {
  const { run, report } = await measure(name);
  if (run.peakRssBytes > LIMIT_BYTES || run.exitCode === null) over++;
  const verdict = report ? `${report.verdict}${report.complete ? '' : ' (incomplete)'}` : `no report: ${run.stderr.split('\n')[0]}`;
  process.stdout.write(`${name.padEnd(16)}  ${String(run.exitCode).padStart(4)}  ${(run.durationMs / 1000).toFixed(1).padStart(7)}  ${mib(run.peakRssBytes)}      ${verdict}\n`);
}
process.stdout.write(over === 0 ? `\nevery run stayed under ${mib(LIMIT_BYTES).trim()} MiB and ended by itself\n` : `\n${over} run(s) went over ${mib(LIMIT_BYTES).trim()} MiB or had to be killed\n`);
process.exitCode = over === 0 ? 0 : 1;
