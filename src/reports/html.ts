import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RunReport } from '../generated/schemas.js';
import { schemaValidator } from '../validator/schemas.js';
import { writeAllureResults } from './allure.js';
import { REPORT_JSON } from './json.js';

export const ALLURE_REPORT = 'allure-report';

/** Reads a report.json and refuses anything that is not one. */
export async function readRunReport(path: string): Promise<RunReport> {
  const text = await readFile(path, 'utf8').catch(() => Promise.reject(new Error(`no ${path}: \`pame run\` writes it (reporter json)`)));
  const data: unknown = JSON.parse(text);
  const validate = schemaValidator('run/report.json');
  if (!validate(data)) throw new Error(`${path} is not a report.json of this suite: ${validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
  return data as RunReport;
}

/** The title the HTML report shows: the verdict first, since that is what a reader looks for. */
export function htmlReportTitle(report: RunReport): string {
  return `PAME ${report.profile}: ${report.verdict}${report.complete ? '' : ' (incomplete run)'} — ${report.target}`;
}

// Allure's page template embeds Google Analytics unconditionally (plugin-awesome 3.x): a page view
// would tell a third party that someone opened a Hive's report, and offline the page waits on it.
const ANALYTICS = /<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>(?=[^<]*gtag\()[^<]*<\/script>/g;

/** The `allure` command of the installed allure package (no Java: Allure 3 is Node). */
function allureCli(): string {
  return join(dirname(createRequire(import.meta.url).resolve('allure')), '..', 'cli.js');
}

/**
 * Builds the browsable HTML report from a report directory: the Allure
 * results are written afresh from report.json (so the page always tells what
 * report.json tells), then `allure generate` renders them as one self-contained
 * index.html that makes no network request. Returns the path of that page.
 */
export async function buildHtmlReport(reportDir: string, outputDir = join(reportDir, ALLURE_REPORT)): Promise<string> {
  const report = await readRunReport(join(reportDir, REPORT_JSON));
  const results = await writeAllureResults(report, reportDir);
  const output = resolve(outputDir);
  const work = await mkdtemp(join(tmpdir(), 'pame-allure-'));
  try {
    const title = htmlReportTitle(report);
    const config = { name: title, output, plugins: { awesome: { options: { singleFile: true, reportName: title, reportLanguage: 'en' } } } };
    await writeFile(join(work, 'allurerc.json'), JSON.stringify(config));
    await promisify(execFile)(process.execPath, [allureCli(), 'generate', resolve(results), '--config', join(work, 'allurerc.json'), '--cwd', work], { cwd: work, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stderr?: string; stdout?: string; message: string }) => {
      throw new Error(`allure generate failed: ${error.stderr || error.stdout || error.message}`);
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const page = join(output, 'index.html');
  await writeFile(page, (await readFile(page, 'utf8')).replace(ANALYTICS, ''));
  return page;
}
