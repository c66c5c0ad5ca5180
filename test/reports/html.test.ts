// End to end: a real run against the embedded reference Hive and one against a
// bannable bad Hive each write report.json, junit.xml, summary.md and a
// certificate, and the HTML report built from them opens in headless Chromium
// (Debian's, driven by playwright-core) showing the checks, failures and verdict.
import { TEST_PASSWORD_COST } from '../../src/hive/index.js';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { BAD_HIVES, catches } from '../../fixtures/bad-hives/index.js';
import type { RunReport } from '../../src/generated/schemas.js';
import { peerMap } from '../../src/peer/domains.js';
import { CERTIFICATE_JSON } from '../../src/reports/certificate.js';
import { verifyCertificate } from '../../src/reports/certificate-verify.js';
import { buildHtmlReport, readRunReport } from '../../src/reports/html.js';
import { REPORTERS, writeReports } from '../../src/reports/index.js';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/runner/options.js';
import { MAX_WORKERS, runConformance } from '../../src/runner/run.js';
import { freePort } from '../../src/runner/free-port.js';
import { ALL_CHECKS, CATALOG } from '../../suites/catalog.js';
import { TEST_DOMAIN } from '../support/run-checks.js';

const CHROMIUM = '/usr/bin/chromium';
const RUN_TIMEOUT_MS = 600_000;

/** One Chromium for both tests, launched by whichever opens a page first. */
let browser: Promise<Browser> | undefined;
afterAll(async () => browser?.then((opened) => opened.close(), () => undefined));

/** Opens a page of the report in headless Chromium, refusing every request that leaves the file. */
async function open(context: TestContext, path: string): Promise<{ page: Page; external: string[]; errors: string[] }> {
  // CI installs Debian's chromium (.ci/run); there the test must run, so only a workstation without it skips.
  if (!existsSync(CHROMIUM) && !process.env.CI) context.skip(`no browser at ${CHROMIUM} (apt-get install chromium); CI always runs this test`);
  browser ??= chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
  const page = await (await browser).newPage();
  const external: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  await page.goto(`file://${path}`);
  return { page, external, errors };
}

/** A full run with every file reporter, then `pame report`; returns the report and the directory. */
async function runAndReport(overrides: Partial<RunOptions>): Promise<{ report: RunReport; dir: string; html: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'pame-e2e-'));
  const options: RunOptions = { ...DEFAULT_RUN_OPTIONS, reportDir: dir, peerPort: 0, fuzzRuns: 10, reporters: REPORTERS.filter((r) => r !== 'console'), ...overrides };
  const outcome = await runConformance(options, CATALOG);
  await writeReports(outcome, options);
  const html = await buildHtmlReport(dir);
  return { report: await readRunReport(join(dir, 'report.json')), dir, html };
}

/** report.json says where the run's time went: readRunReport has checked the timings against the schema (non-negative), here they fit the run. */
function expectTimings(report: RunReport): void {
  const timings = report.timings;
  expect(timings, 'report.json has no timings').toBeDefined();
  expect(timings!.startupMs).toBeGreaterThan(0);
  expect(timings!.checksMs).toBeGreaterThan(0);
  expect(timings!.checksMs).toBeLessThanOrEqual(report.durationMs);
  // Summed over suite files that up to MAX_WORKERS workers collect at once, all within the run.
  expect(timings!.collectMs).toBeGreaterThan(0);
  expect(timings!.collectMs).toBeLessThanOrEqual(MAX_WORKERS * report.durationMs);
  expect(timings!.runnerCpuMs).toBeGreaterThan(0);
}

async function expectMachineReports(dir: string, report: RunReport): Promise<void> {
  expectTimings(report);
  expect(XMLValidator.validate(await readFile(join(dir, 'junit.xml'), 'utf8'))).toBe(true);
  expect((await readFile(join(dir, 'summary.md'), 'utf8')).split('\n')[0]).toContain(`PAME 0.2.1: ${report.verdict}`);
  const verification = await verifyCertificate(join(dir, CERTIFICATE_JSON));
  expect(verification.problems).toEqual([]);
}

/** Opens the HTML report and waits for the texts it must show, its title naming the verdict, with no error and no request out. */
async function expectPage(context: TestContext, html: string, report: RunReport, shown: readonly string[]): Promise<Page> {
  const { page, external, errors } = await open(context, html);
  for (const text of shown) await page.getByText(text).first().waitFor({ timeout: 30_000 });
  expect(await page.title()).toContain(`PAME 0.2.1: ${report.verdict}`);
  await page.getByText(`PAME 0.2.1: ${report.verdict}`).first().waitFor();
  expect(external, 'the report page reached out to the network').toEqual([]);
  expect(errors).toEqual([]);
  return page;
}

/** Unfolds a group of the report's tree, unless already open, until `child` shows. */
async function reveal(page: Page, group: string, child: string): Promise<void> {
  const target = page.getByText(child, { exact: true }).first();
  if (!(await target.isVisible())) await page.getByText(group, { exact: true }).first().click();
  await target.waitFor({ timeout: 10_000 });
}

// The two runs are independent (own report directories, own ports) and mostly wait on the Hive, so they run side by side.
describe.concurrent('reports of a real run', () => {
  it('against the embedded reference Hive: conformant, in every report and in the browser', async (context) => {
    const { report, dir, html } = await runAndReport({});
    const wrong = report.checks.filter((c) => c.status === 'failed' || c.status === 'error').map((c) => `${c.id}: ${c.message.split('\n')[0]}`);
    expect(wrong, wrong.join('\n')).toEqual([]);
    expect(report.verdict).toBe('conformant');
    // The embedded Hive hashes at the test cost, and the report says so: never a public Hive's cost.
    expect(report.embeddedPasswordCost).toEqual(TEST_PASSWORD_COST);
    await expectMachineReports(dir, report);
    expect(await readFile(join(dir, 'badge.svg'), 'utf8')).toContain('conformant');
    // A tree with nothing failed comes folded: the profile unfolds into check families, a family
    // into request codes, a request code into its checks.
    const page = await expectPage(context, html, report, ['PAME 0.2.1']);
    const families = [...new Set(report.checks.map((c) => `PAME-${c.id.split('-')[1]}`))];
    await reveal(page, 'PAME 0.2.1', families[0]!);
    for (const family of families) await page.getByText(family, { exact: true }).first().waitFor();
    const first = report.checks.find((c) => c.id.startsWith(`${families[0]}-`))!;
    const code = first.code === '*' ? 'across request codes' : first.code;
    await reveal(page, families[0]!, code);
    await reveal(page, code, `${first.id} ${first.title}`);
  }, RUN_TIMEOUT_MS);

  it('against a bannable bad Hive: its failures, ban evidence and verdict, in every report and in the browser', async (context) => {
    const bad = BAD_HIVES.find((b) => b.caughtBy.some((id) => ALL_CHECKS.find((c) => c.id === id)?.level === 'F'));
    if (!bad) return context.skip('no bad Hive of the fixtures is caught by a check at level F');
    const port = await freePort('127.0.0.1');
    const hive = bad.create({ passwordCost: TEST_PASSWORD_COST, domain: TEST_DOMAIN, resolve: peerMap({ host: '127.0.0.1', port }) });
    try {
      const { url } = await hive.listen(0, '127.0.0.1');
      const { report, dir, html } = await runAndReport({ hive: url, peerPort: port, only: [...bad.caughtBy] });
      expect(report.checks.filter((c) => catches(bad, c.id) && c.status !== 'failed').map((c) => c.id)).toEqual([]);
      expect(report.verdict).toBe('bannable');
      expect(report.decision?.action).toBe('ban');
      await expectMachineReports(dir, report);
      const ban = JSON.parse(await readFile(join(dir, 'ban-evidence.json'), 'utf8')) as { failures: { check: string }[] };
      expect(ban.failures.length).toBeGreaterThan(0);
      expect(existsSync(join(dir, 'badge.svg'))).toBe(false);
      const page = await expectPage(context, html, report, bad.caughtBy);
      await page.getByText(bad.caughtBy[0]!).first().click();
      await page.getByText('Failed', { exact: true }).first().waitFor();
      const failure = report.checks.find((c) => c.id === bad.caughtBy[0])!.failures[0]!;
      await page.getByText(`[${failure.rule}]`).first().waitFor();
    } finally {
      await hive.close();
    }
  }, RUN_TIMEOUT_MS);
});
