// `pame scan`: certifies many Hives with the same options, several runs at a
// time in this one process (each run is runConformance with its own vitest
// workers), all of them behind one peer endpoint (peer-front.ts).
import { createHash, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../checks/check.js';
import { HiveClient } from '../client/client.js';
import { respOf } from '../client/exchange.js';
import type { FleetOptions, FleetReport, FleetTarget } from '../generated/schemas.js';
import { DEFAULT_PEER_PORT, peerMap } from '../peer/domains.js';
import { packageVersion } from '../paths.js';
import type { Signer } from '../reports/certificate.js';
import { writeReports } from '../reports/index.js';
import type { RunOptions } from '../runner/options.js';
import { RunAbort, runConformance } from '../runner/run.js';
import { freePort } from '../runner/free-port.js';
import { abortedTarget, byUrl, fleetTargetOf } from './fleet.js';
import { PeerFront } from './peer-front.js';
import { pooled } from './pooled.js';
import { reportDirName, TargetError, type Target } from './targets.js';

export interface ScanOptions {
  /** What every target is certified with; reportDir is the fleet directory. */
  readonly run: RunOptions;
  /** Runs at a time. */
  readonly parallel: number;
}

export interface ScanHooks {
  onStart?(info: { targets: number; peerMap: string; seed: number }): void;
  onTargetEnd?(target: FleetTarget): void;
}

/** The Hive's domain: the target's --domain, else what its Epost_ping names; undefined when neither tells. */
async function learnDomain(target: Target, run: RunOptions): Promise<string | undefined> {
  if (target.options.domain) return target.options.domain;
  const client = new HiveClient(target.url, { timeoutMs: target.options.timeoutMs ?? run.timeoutMs, insecure: target.options.insecure ?? run.insecure, maxReplyBytes: run.maxReplyBytes });
  try {
    const ping = await client.call('Epost_ping', { iam: 'pamet-scan' });
    const hive = respOf(ping) === 1 ? (ping.reply?.json as { hive?: unknown }).hive : undefined;
    return typeof hive === 'string' && hive.length > 0 && hive.length <= 253 ? hive.toLowerCase() : undefined;
  } finally {
    await client.close();
  }
}

async function fileHash(path: string | undefined): Promise<string | undefined> {
  return path === undefined ? undefined : createHash('sha256').update(await readFile(path)).digest('hex');
}

/** The options that make two scans comparable: shards of one scan must agree on them. */
async function fleetOptions(run: RunOptions, seed: number, map: string): Promise<FleetOptions> {
  const [waivers, policy] = await Promise.all([fileHash(run.waivers), fileHash(run.policy)]);
  return { seed, fuzzRuns: run.fuzzRuns, only: [...run.only], skip: [...run.skip], strict: run.strict, ...(waivers ? { waivers } : {}), ...(policy ? { policy } : {}), peerMap: map };
}

/**
 * Certifies every target and returns the fleet report (not yet written). Two
 * targets of one domain cannot share the peer endpoint: a TargetError before
 * anything runs.
 */
export async function scanFleet(targets: readonly Target[], catalog: Catalog, options: ScanOptions, hooks: ScanHooks = {}, signer?: Signer): Promise<FleetReport> {
  const started = Date.now();
  const { run } = options;
  const seed = run.seed ?? randomInt(0, 2 ** 31 - 1);
  const domains = await pooled(targets, Math.max(options.parallel, 8), (target) => learnDomain(target, run).catch(() => undefined));
  const owners = new Map<string, string>();
  targets.forEach((target, i) => {
    const domain = domains[i];
    if (domain === undefined) return;
    if (run.peerDomains && Object.values(run.peerDomains).includes(domain)) throw new TargetError(`${target.url} is a Hive of ${JSON.stringify(domain)}, one of the --peer-domains the runner plays`);
    const other = owners.get(domain);
    if (other) throw new TargetError(`${other} and ${target.url} are both Hives of ${JSON.stringify(domain)}: one peer endpoint cannot tell their requests apart; scan them separately`);
    owners.set(domain, target.url);
  });

  const front = await PeerFront.start(run.peerHost, run.peerPort ?? DEFAULT_PEER_PORT);
  const publicUrl = run.peerPublicUrl ?? `http://${front.bound.host.includes(':') ? `[${front.bound.host}]` : front.bound.host}:${front.bound.port}/`;
  const map = peerMap({ host: front.bound.host, port: front.bound.port, publicUrl, ...(run.peerDomains ? { domains: run.peerDomains } : {}) });
  const ended = (target: FleetTarget): FleetTarget => {
    hooks.onTargetEnd?.(target);
    return target;
  };
  try {
    // The waivers and policy hashed as the scan starts: the files every target is judged by, not what they may be after a long scan.
    const fleetOptionsOfRun = await fleetOptions(run, seed, map);
    hooks.onStart?.({ targets: targets.length, peerMap: map, seed });
    const results = await pooled(targets.map((target, i) => ({ target, domain: domains[i] })), options.parallel, async ({ target, domain }) => {
      const dirName = reportDirName(target.url, domain);
      const targetStarted = Date.now();
      const backendPort = await freePort('127.0.0.1');
      const targetRun: RunOptions = {
        ...run,
        ...target.options,
        hive: target.url,
        ...(domain ? { domain } : {}),
        seed,
        // The Hives are the parallelism: one worker each loads the catalog once per run, not twice.
        ...(options.parallel > 1 ? { maxWorkers: 1 } : {}),
        reportDir: join(run.reportDir, dirName),
        peerHost: '127.0.0.1',
        peerPort: backendPort,
        peerPublicUrl: publicUrl,
      };
      if (domain) front.route(domain, backendPort);
      try {
        const outcome = await runConformance(targetRun, catalog);
        await writeReports(outcome, targetRun, signer);
        return ended(fleetTargetOf(target.url, domain, dirName, outcome.report, outcome.exitCode));
      } catch (error) {
        if (!(error instanceof RunAbort)) throw error;
        return ended(abortedTarget(target.url, domain, dirName, error.message, Date.now() - targetStarted));
      } finally {
        if (domain) front.unroute(domain);
      }
    });
    const notes = front.unrouted.count === 0 ? [] : [`${front.unrouted.count} request(s) to the peer endpoint named no Hive of this scan in their iam and were answered -1.1: ${front.unrouted.kept.join('; ')}`];
    return { profile: '0.2.1', suiteVersion: packageVersion, options: fleetOptionsOfRun, ...(notes.length ? { notes } : {}), durationMs: Date.now() - started, targets: byUrl(results) };
  } finally {
    await front.close();
  }
}
