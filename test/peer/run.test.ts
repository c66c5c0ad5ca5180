// `pame run` and countersign, end to end through vitest: the embedded Hive and
// a separately started one given the printed map pass every countersign check;
// a Hive without the map gets them all skipped, and the run says countersign
// was not certified.
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHive, TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { DEFAULT_PEER_PORT, peerMap } from '../../src/peer/domains.js';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/runner/options.js';
import { runConformance } from '../../src/runner/run.js';
import { freePort } from '../../src/runner/free-port.js';
import { CATALOG } from '../../suites/catalog.js';
import { countersignSuite } from '../../suites/countersign.js';
import { TEST_DOMAIN } from '../support/run-checks.js';

const COUNTERSIGN: Partial<RunOptions> = { only: ['PAME-CS-'], reporters: [] };

async function runWith(overrides: Partial<RunOptions>) {
  const printed: string[] = [];
  const outcome = await runConformance({ ...DEFAULT_RUN_OPTIONS, ...COUNTERSIGN, ...overrides }, CATALOG, { onStart: (info) => printed.push(info.peerMap) });
  return { report: outcome.report, printedMap: printed[0] };
}

async function withHive<T>(resolve: string | undefined, use: (url: string) => Promise<T>): Promise<T> {
  const hive = createHive({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN, ...(resolve ? { resolve } : {}) });
  try {
    return await use((await hive.listen(0, '127.0.0.1')).url);
  } finally {
    await hive.close();
  }
}

/** Holds the default peer port for the duration of `use`, if nothing else holds it already. */
async function whileDefaultPortTaken<T>(use: () => Promise<T>): Promise<T> {
  const holder: Server = createServer();
  const held = await new Promise<boolean>((resolve) => holder.once('error', () => resolve(false)).listen(DEFAULT_PEER_PORT, '127.0.0.1', () => resolve(true)));
  try {
    return await use();
  } finally {
    if (held) await new Promise((resolve) => holder.close(resolve));
  }
}

// Each run mostly waits (PAME-CS-007's late answer alone is 11 s) on ports of its own, so the three run side by side.
describe.concurrent('pame run, countersign', () => {
  it('passes every countersign check against the embedded Hive, and prints the map it wired', async () => {
    // No --peer-port: the embedded Hive's map is the runner's own, so a taken default port does not matter.
    const { report, printedMap } = await whileDefaultPortTaken(() => runWith({}));
    expect(report.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id} ${c.status}: ${c.message}`)).toEqual([]);
    expect(report.checks).toHaveLength(countersignSuite.checks.length);
    expect(printedMap).toBe(report.peerMap);
    expect(report.peerMap).not.toContain(':0/');
    expect(report.peerMap).not.toContain(`:${DEFAULT_PEER_PORT}/`);
    expect(report.notes ?? []).not.toContainEqual(expect.stringMatching(/countersign/));
  }, 120_000);

  it('passes them against a separately started Hive given the printed map for --peer-port', async () => {
    const peer = { host: '127.0.0.1', port: await freePort('127.0.0.1') };
    const { report, printedMap } = await withHive(peerMap(peer), (hive) => runWith({ hive, domain: TEST_DOMAIN, peerPort: peer.port }));
    expect(printedMap).toBe(peerMap(peer));
    expect(report.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id} ${c.status}: ${c.message}`)).toEqual([]);
  }, 120_000);

  it('skips them all, naming the map, when the Hive was not given it, and notes that countersign was not certified', async () => {
    const { report } = await withHive(undefined, (hive) => runWith({ hive, domain: TEST_DOMAIN, peerPort: 0 }));
    expect(report.checks).toHaveLength(countersignSuite.checks.length);
    expect(report.checks.filter((c) => c.status !== 'skipped' || !c.message.includes(report.peerMap!)).map((c) => c.id)).toEqual([]);
    expect(report.notes).toContainEqual(expect.stringMatching(/^countersign was not certified/));
  }, 120_000);
});
