import { randomBytes, randomInt } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { createVitest } from 'vitest/node';
import { selectedChecks, type Catalog, type Check } from '../checks/check.js';
import type { CheckSettings } from '../checks/environment.js';
import { HiveClient, type Fronting } from '../client/client.js';
import type { Arrangement, CheckResult, RunReport, RunTimings } from '../generated/schemas.js';
import { createHive, TEST_PASSWORD_COST } from '../hive/index.js';
import { DEFAULT_PEER_PORT, peerMap, type PeerSettings } from '../peer/domains.js';
import { packageVersion, suitesDir, runsCompiled } from '../paths.js';
import { NOT_YET_SPECIFIED } from '../protocol/rules.js';
import { ResultCollector, type Progress } from './collector.js';
import { freePort } from './free-port.js';
import { loadFronting } from './fronting.js';
import type { RunOptions } from './options.js';
import { DEFAULT_LOADED_POLICY, DEFAULT_MAX_WAIVER_DAYS, decide, exitCodeOfDecision, loadPolicy } from './policy.js';
import { describeNoAnswer, waitForHive } from './wait.js';
import { countStatuses, ruleResults, verdictOf, EXIT } from './verdict.js';
import { applyWaivers, loadWaivers, refuseLongWaivers } from './waivers.js';

/** The run could not be carried out (unreachable target, bad arguments): exit 3. */
export class RunAbort extends Error {}

export interface RunHooks {
  onStart?(info: { target: string; embedded: boolean; peerMap: string; total: number; seed: number }): void;
  onProgress?(progress: Progress): void;
}

export interface RunOutcome {
  readonly report: RunReport;
  readonly exitCode: number;
  readonly stale: readonly string[];
  readonly expired: readonly string[];
  readonly harnessErrors: readonly string[];
  /** --record: the folder of the run's traffic records, for the report writer to join. */
  readonly trafficDir?: string;
}

export const EMBEDDED_DOMAIN = 'hive.pame.test';

/**
 * A second source address the Hive is reachable from (U2 IP binding), of the
 * target's own family: 127.0.0.2 beside an IPv4 loopback target. None beside
 * [::1]: IPv6 has a single loopback address, and an IPv4 source cannot reach it.
 */
export function secondSourceFor(url: URL): string | undefined {
  return /^(127\.\d+\.\d+\.\d+|localhost)$/.test(url.hostname) ? '127.0.0.2' : undefined;
}

/** Throws RunAbort when nothing answers at the target at all. */
async function probeReachable(target: string, options: RunOptions, fronting: Fronting | undefined, timeoutMs: number): Promise<void> {
  const client = new HiveClient(target, { timeoutMs, insecure: options.insecure, maxReplyBytes: options.maxReplyBytes, ...(fronting ? { fronting } : {}) });
  try {
    const ping = await client.call('Epost_ping', { iam: 'pamet-probe' });
    if (ping.failure?.kind === 'network' && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/.test(ping.failure.message)) {
      throw new RunAbort(`the Hive at ${target} cannot be reached: ${ping.failure.message}`);
    }
  } finally {
    await client.close();
  }
}

/**
 * Worker threads at most. Each holds its own copy of the catalog (some 60 MiB);
 * the checks are network-bound and run concurrently within a suite, so more
 * workers buy little time and would push a run past its memory budget.
 */
export const MAX_WORKERS = 2;

/**
 * A smaller young generation (V8's default semi-space grows to 16 MiB) for the
 * worker threads vitest starts later, which take up the flag: it trims each
 * isolate by some 15 MiB for a little more garbage collection. Left alone when
 * node was started with its own setting.
 */
function limitYoungGeneration(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((flag) => flag.includes('semi-space'));
  if (!given) setFlagsFromString('--max-semi-space-size=4');
}

/**
 * Splits the run's --concurrency and --rate across the vitest workers. Each
 * worker runs one suite file at a time with its own client, so with at most
 * `workers` of them at once and each given its share, the whole run never has
 * more than `concurrency` requests in flight nor starts more than `rate` a second.
 */
export function workerBudget(concurrency: number, rate: number | undefined, suites: number, maxWorkers = MAX_WORKERS): { workers: number; concurrency: number; rate?: number } {
  const total = Math.max(1, Math.floor(concurrency));
  const workers = Math.max(1, Math.min(suites, availableParallelism(), MAX_WORKERS, maxWorkers, total));
  return { workers, concurrency: Math.floor(total / workers), ...(rate ? { rate: rate / workers } : {}) };
}

/** How long checks still running at the deadline get to end before their workers are stopped. */
const CANCEL_GRACE_MS = 2_000;
const CANCEL_RETRY_MS = 250;
/** How long vitest gets to shut down; past it the run reports without waiting. */
const CLOSE_GRACE_MS = 5_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}

/**
 * Runs the suite files through vitest until they finish or `deadlineAt` passes.
 * cancelCurrentRun only stops vitest from starting more tests, so at the
 * deadline the running checks get a short grace and then vitest is closed,
 * which stops its workers: the run ends near its deadline whatever a Hive does.
 */
async function runSuites(files: string[], settings: CheckSettings, workers: number, collector: ResultCollector, deadlineAt: number): Promise<{ timedOut: boolean; readyMs: number }> {
  limitYoungGeneration();
  const vitest = await createVitest(
    'test',
    {
      root: suitesDir,
      config: false,
      include: files,
      exclude: [],
      watch: false,
      reporters: [collector],
      provide: { pameSettings: settings },
      maxWorkers: workers,
      // Memory (docs/robustness.md): worker threads share one process, and compiled
      // suites are imported natively rather than through vite's module runner.
      // Together they halve the run's peak RSS; TypeScript sources still need the runner.
      pool: 'threads',
      // A worker runs suite files one after another in one module graph, so the
      // catalog, the schemas and the compiled validators load once per worker,
      // not once per file. The harness gives each file its own environment.
      isolate: false,
      experimental: { viteModuleRunner: !runsCompiled, nodeLoader: !runsCompiled },
      maxConcurrency: settings.concurrency,
      passWithNoTests: true,
    },
    { cacheDir: join(tmpdir(), 'pame-conformance-vite'), logLevel: 'silent' },
  );
  // performance.now() counts from the process's (or worker thread's) start.
  const readyMs = performance.now();
  const finished = vitest.start().then(
    () => 'finished' as const,
    (error: unknown) => {
      collector.harnessErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return 'finished' as const;
    },
  );
  const outcome = await Promise.race([finished, delay(deadlineAt - Date.now()).then(() => 'deadline' as const)]);
  if (outcome === 'deadline') {
    // A cancel that arrives before the workers have started is lost, so it is repeated until the run ends.
    const graceEnd = Date.now() + CANCEL_GRACE_MS;
    let ended = false;
    void finished.then(() => (ended = true));
    while (!ended && Date.now() < graceEnd) {
      vitest.cancelCurrentRun('keyboard-input').catch(() => undefined);
      await Promise.race([finished, delay(CANCEL_RETRY_MS)]);
    }
  }
  await Promise.race([vitest.close(), delay(CLOSE_GRACE_MS)]);
  return { timedOut: outcome === 'deadline', readyMs };
}

/** report.json's timings (schemas/run/report.json describes each): where the time of a run went. */
function runTimings(readyMs: number, collector: ResultCollector, cpuAtStart: NodeJS.CpuUsage): RunTimings {
  const cpu = process.cpuUsage(cpuAtStart);
  const span = collector.checksSpan;
  return {
    startupMs: Math.round(readyMs),
    collectMs: Math.round(collector.collectMs),
    checksMs: span ? Math.round(span.end - span.start) : 0,
    runnerCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

/** The ids of the checks that need the runner's peer server. */
function needsPeer(checks: readonly Check[]): Set<string> {
  return new Set(checks.filter((check) => check.needs?.includes('peer')).map((check) => check.id));
}

/** The note a run carries when checks that need the peer server were skipped: the verdict does not cover countersign. */
function uncertifiedCountersign(results: readonly CheckResult[], checks: readonly Check[]): string[] {
  const peerChecks = needsPeer(checks);
  const skipped = results.filter((result) => result.status === 'skipped' && peerChecks.has(result.id));
  return skipped.length === 0 ? [] : [`countersign was not certified: ${skipped.length} check(s) that need the runner's peer server were skipped (${skipped[0]!.message})`];
}

/** How the runner stood to the Hive, for the report and certificate. */
function arrangementOf(results: readonly CheckResult[], checks: readonly Check[], secondSourceAddress: string | undefined): Arrangement {
  const peerChecks = needsPeer(checks);
  const needing = results.filter((result) => peerChecks.has(result.id));
  const peer = needing.length === 0 ? 'not needed' : needing.some((result) => result.status === 'skipped') ? 'countersign skipped' : 'reachable';
  return { peer, ...(secondSourceAddress ? { secondSourceAddress } : {}) };
}

/**
 * Runs the catalog's suites through vitest against one Hive (or the embedded
 * reference Hive) and returns the report and exit code. Output is left to reporters.
 */
export async function runConformance(options: RunOptions, catalog: Catalog, hooks: RunHooks = {}): Promise<RunOutcome> {
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
  // A fixed port matters only to a Hive configured beforehand; the embedded Hive gets whatever port is free.
  const wantedPort = options.peerPort ?? (options.hive === undefined ? 0 : DEFAULT_PEER_PORT);
  const peerPort = wantedPort === 0 ? await freePort(options.peerHost) : wantedPort;
  const peer: PeerSettings = { host: options.peerHost, port: peerPort, ...(options.peerPublicUrl ? { publicUrl: options.peerPublicUrl } : {}), ...(options.peerDomains ? { domains: options.peerDomains } : {}) };
  const map = peerMap(peer);
  const loaded = options.policy ? await loadPolicy(options.policy).catch((error: Error) => Promise.reject(new RunAbort(error.message))) : DEFAULT_LOADED_POLICY;
  const policy = loaded.policy;
  const waiverFile = options.waivers ? await loadWaivers(options.waivers).catch((error: Error) => Promise.reject(new RunAbort(error.message))) : undefined;
  const waivers = waiverFile?.waivers ?? [];
  try {
    refuseLongWaivers(waivers, policy.waivers?.maxLifetimeDays ?? DEFAULT_MAX_WAIVER_DAYS, new Date(started), options.waivers ?? '');
  } catch (error) {
    throw new RunAbort((error as Error).message);
  }
  const fronting = await loadFronting(options).catch((error: Error) => Promise.reject(new RunAbort(error.message)));

  const embedded = options.hive === undefined ? createHive({ domain: EMBEDDED_DOMAIN, resolve: map, passwordCost: TEST_PASSWORD_COST, ...(options.sessionIdleMs ? { sessionIdleMs: options.sessionIdleMs } : {}) }) : undefined;
  try {
    const target = embedded ? (await embedded.listen(0, '127.0.0.1')).url : new URL(options.hive!).toString();
    const targetUrl = new URL(target);
    if (targetUrl.protocol !== 'http:' && targetUrl.protocol !== 'https:') throw new RunAbort(`--hive must be an http or https URL, not ${target}`);
    if (options.waitFor > 0 && !embedded) {
      const waited = await waitForHive(target, options.waitFor, { timeoutMs: options.timeoutMs, maxReplyBytes: options.maxReplyBytes, insecure: options.insecure, ...(fronting ? { fronting } : {}) });
      if (!waited.answered) throw new RunAbort(describeNoAnswer(target, options.waitFor, waited));
    }
    // The wait for the Hive's start is not part of the run's time.
    const deadlineAt = Date.now() + options.maxDurationMs;
    await probeReachable(target, options, fronting, Math.max(1, Math.min(options.timeoutMs, deadlineAt - Date.now())));

    const suites = catalog.suites.filter((suite) => selectedChecks(suite.checks, options).length > 0);
    const budget = workerBudget(options.concurrency, options.rate, suites.length, options.maxWorkers);
    const trafficDir = options.record ? await mkdtemp(join(tmpdir(), 'pame-traffic-')) : undefined;
    const secondSource = secondSourceFor(targetUrl);
    const settings: CheckSettings = {
      target,
      ...(trafficDir ? { recordDir: trafficDir } : {}),
      ...(options.domain ? { domain: options.domain } : embedded ? { domain: EMBEDDED_DOMAIN } : {}),
      timeoutMs: options.timeoutMs,
      maxReplyBytes: options.maxReplyBytes,
      // Per worker: the budget split so the whole run keeps to --concurrency and --rate.
      concurrency: budget.concurrency,
      ...(budget.rate ? { rate: budget.rate } : {}),
      insecure: options.insecure,
      ...(fronting ? { fronting } : {}),
      checkTimeoutMs: options.checkTimeoutMs,
      userPrefix: `pamet-${randomBytes(3).toString('hex')}-`,
      accounts: options.users,
      // Through a proxy the Hive sees the proxy's address whatever the runner sends from.
      ...(secondSource && !options.proxy ? { secondSourceAddress: secondSource } : {}),
      ...(options.sessionIdleMs ? { sessionIdleMs: options.sessionIdleMs } : {}),
      only: options.only,
      skip: options.skip,
      seed,
      fuzzRuns: options.fuzzRuns,
      peer,
    };
    const selected = suites.flatMap((suite) => selectedChecks(suite.checks, settings));
    hooks.onStart?.({ target, embedded: embedded !== undefined, peerMap: map, total: selected.length, seed });

    const collector = new ResultCollector(selected.length, hooks.onProgress);
    const extension = runsCompiled ? 'js' : 'ts';
    const { timedOut, readyMs } = suites.length > 0
      ? await runSuites(suites.map((suite) => `${suite.name}.test.${extension}`), settings, budget.workers, collector, deadlineAt)
      : { timedOut: false, readyMs: undefined };

    const results: CheckResult[] = selected.map(
      (check) =>
        collector.results.get(check.id) ?? {
          id: check.id, title: check.title, code: check.code, rules: [...check.rules], level: check.level, status: 'error',
          message: timedOut ? `not run: the run hit its --max-duration of ${options.maxDurationMs} ms` : 'not run: the suite did not report this check',
          failures: [], durationMs: 0,
        },
    );
    const catalogIds = new Set(catalog.suites.flatMap((suite) => suite.checks.map((c) => c.id)));
    const waived = applyWaivers(results, waivers, catalogIds);
    const counts = countStatuses(waived.results);
    const deselected = catalogIds.size - selected.length;
    const notes = [
      ...(timedOut ? [`the run hit its deadline (--max-duration ${options.maxDurationMs} ms)`] : []),
      ...collector.harnessErrors.map((e) => `harness error: ${e.split('\n')[0]}`),
      ...(counts.error + counts.timeout > 0 ? [`${counts.error + counts.timeout} check(s) could not be carried out (status error or timeout)`] : []),
      ...(deselected > 0 ? [`partial run: ${deselected} of the catalog's ${catalogIds.size} checks were deselected (--only/--skip); it certifies only what it ran`] : []),
      ...waived.refused.map((line) => `waiver refused: ${line}`),
      ...uncertifiedCountersign(waived.results, selected),
      ...(options.rerunOf ? [`partial rerun of the ${selected.length} check(s) that failed or errored in ${options.rerunOf}: the verdict covers them alone`] : []),
    ];
    // A run certifies the Hive only when every check of the catalog was carried out: none deselected, errored or
    // overran its budget. A partial rerun certifies nothing.
    const complete = deselected === 0 && counts.error === 0 && counts.timeout === 0 && !timedOut && collector.harnessErrors.length === 0 && options.rerunOf === undefined;
    const verdict = verdictOf(waived.results, complete);
    const decision = decide(waived.results, policy, complete);
    const report: RunReport = {
      profile: '0.2.1',
      suiteVersion: packageVersion,
      target,
      embedded: embedded !== undefined,
      ...(embedded ? { embeddedPasswordCost: TEST_PASSWORD_COST } : {}),
      insecure: options.insecure,
      verdict,
      complete,
      selection: { only: [...options.only], skip: [...options.skip], selected: selected.length, deselected },
      fuzzRuns: options.fuzzRuns,
      ...(waiverFile ? { waivers: { sha256: waiverFile.sha256, applied: waived.results.filter((r) => r.status === 'waived').map((r) => r.id) } } : {}),
      policy: loaded.used,
      arrangement: arrangementOf(waived.results, selected, settings.secondSourceAddress),
      notes,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      seed,
      peerMap: map,
      counts,
      checks: waived.results,
      rules: ruleResults(waived.results, catalog.coverage),
      notYetSpecified: [...NOT_YET_SPECIFIED],
      decision,
      ...(readyMs === undefined ? {} : { timings: runTimings(readyMs, collector, cpuAtStart) }),
    };
    // The policy's decision sets the exit code; under the default policy (profile §9) it follows the verdict.
    let exitCode = exitCodeOfDecision(decision, options.strict);
    if (exitCode === EXIT.OK && waived.expired.length > 0) exitCode = EXIT.NONCONFORMANT;
    return { report, exitCode, stale: waived.stale, expired: waived.expired, harnessErrors: collector.harnessErrors, ...(trafficDir ? { trafficDir } : {}) };
  } finally {
    await embedded?.close();
  }
}
