import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { CommandModule } from 'yargs';
import type { Exchange } from '../../client/exchange.js';
import { writeReports } from '../../reports/index.js';
import { printable } from '../../reports/console.js';
import { EXIT } from '../../runner/verdict.js';
import type { ExchangeFinding } from '../../validator/exchange.js';
import { readHar } from '../../validator/har.js';
import { readExchangeLog } from '../../validator/jsonl.js';
import type { Recording } from '../../validator/recorded.js';
import { breaksMustOrF, clientFindings, hiveFindings, trafficReport, validateRecorded } from '../../runner/traffic-report.js';

/** The file reports `pame validate` can write besides the console (a certificate vouches for runs only). */
export const VALIDATE_REPORTERS = ['console', 'json', 'junit', 'summary'] as const;

export interface ValidateOptions {
  readonly baseUrl?: string;
  readonly reportDir: string;
  readonly reporters: readonly string[];
  /** List every exchange, not only those with findings. */
  readonly all: boolean;
}

/** One exchange in a line: method, code, status and resp. */
export function exchangeLine(exchange: Exchange): string {
  const json = exchange.reply?.json as { resp?: unknown } | undefined;
  const outcome = exchange.reply ? `${exchange.reply.status}${json && typeof json === 'object' && 'resp' in json ? ` resp ${JSON.stringify(json.resp)}` : ''}` : `no reply${exchange.failure ? ` (${exchange.failure.message})` : ''}`;
  // The code and the failure come from the client or the Hive: shown escaped, never obeyed by the terminal.
  return printable(`${exchange.request.method} ${exchange.code === undefined ? '(no code)' : JSON.stringify(exchange.code)} → ${outcome}`);
}

/** The mark of an exchange: ✗ when the Hive broke a MUST or F rule in it; a client's fault alone is no mark against the Hive. */
export function exchangeMark(findings: readonly ExchangeFinding[]): string {
  const against = hiveFindings(findings);
  return against.some((f) => f.level !== 'SHOULD') ? '✗' : against.length > 0 ? '!' : '✓';
}

/** One line a finding, naming who broke the rule: the Hive, or the client (whose faults bind no Hive). */
export function findingLines(findings: readonly ExchangeFinding[]): string[] {
  return findings.map((f) => printable(`  ${f.party === 'client' ? '·' : f.level === 'SHOULD' ? '!' : '✗'} [${f.rule} ${f.level}, ${f.party === 'client' ? 'client' : 'Hive'}] ${f.message}`));
}

function countByRule(findings: readonly ExchangeFinding[]): string {
  const byRule = new Map<string, number>();
  for (const { rule, level } of findings) byRule.set(`${rule} ${level}`, (byRule.get(`${rule} ${level}`) ?? 0) + 1);
  return [...byRule].map(([rule, count]) => `${rule} ×${count}`).join(', ');
}

/** Reads one recording, HAR or JSONL, by its extension or, failing that, its content. */
export async function readRecordingFile(path: string, baseUrl?: string): Promise<Recording> {
  const text = await readFile(path, 'utf8');
  const extension = extname(path).toLowerCase();
  const looksLikeHar = extension === '.har' || (extension !== '.jsonl' && extension !== '.ndjson' && /^\s*\{\s*"log"\s*:/.test(text));
  return looksLikeHar ? readHar(text, path, baseUrl !== undefined ? { baseUrl } : {}) : readExchangeLog(text, path);
}

/**
 * `pame validate`: reads the recordings, validates every exchange, prints the
 * Hive's findings in each, then the clients' apart, and a summary; writes the
 * chosen reports; returns the exit code: 1 when the Hive breaks a MUST or F
 * rule, 3 when there is nothing to validate. Client findings never change it.
 */
export async function validateFiles(files: readonly string[], options: ValidateOptions, print: (line: string) => void): Promise<number> {
  const started = Date.now();
  const recordings: Recording[] = [];
  for (const file of files) {
    try {
      recordings.push(await readRecordingFile(file, options.baseUrl));
    } catch (error) {
      print(`pame validate: cannot read ${file}: ${(error as Error).message}`);
      return EXIT.NOT_CARRIED_OUT;
    }
  }
  const problems = recordings.flatMap((r) => r.problems);
  const skipped = recordings.reduce((sum, r) => sum + r.skipped, 0);
  const validated = validateRecorded(recordings.flatMap((r) => r.exchanges));

  for (const { source, exchange, findings } of validated) {
    const against = hiveFindings(findings);
    if (against.length === 0 && !options.all) continue;
    print(`${exchangeMark(findings)} ${source}  ${exchangeLine(exchange)}`);
    for (const line of findingLines(against)) print(line);
  }
  const byClients = validated.filter((v) => clientFindings(v.findings).length > 0);
  if (byClients.length > 0) {
    print('');
    print("client findings: requests that break a rule. They are the client's fault and count for no verdict; the Hive is judged on its replies to them (profile §11).");
    for (const { source, exchange, findings } of byClients) {
      print(`· ${source}  ${exchangeLine(exchange)}`);
      for (const line of findingLines(clientFindings(findings))) print(line);
    }
  }
  for (const problem of problems) print(`! ${problem}`);

  const notes = [...problems, ...(skipped > 0 ? [`${skipped} entries are not protocol traffic and were not validated`] : [])];
  const report = trafficReport(validated, { startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, notes, complete: problems.length === 0 });
  const all = validated.flatMap((v) => v.findings);
  const withFindings = validated.filter((v) => hiveFindings(v.findings).length > 0).length;
  print('');
  print(`${validated.length} exchanges validated${skipped > 0 ? ` (${skipped} other entries skipped)` : ''}: ${validated.length - withFindings} clean, ${withFindings} with findings against the Hive; ${byClients.length} with client findings`);
  if (hiveFindings(all).length > 0) print(`Hive findings by rule: ${countByRule(hiveFindings(all))}`);
  if (byClients.length > 0) print(`client findings by rule (no verdict): ${countByRule(clientFindings(all))}`);
  print(`verdict for the Hive: ${report.verdict}`);

  const written = await writeReports({ report, exitCode: 0, stale: [], expired: [], harnessErrors: [] }, { reporters: options.reporters, reportDir: options.reportDir, timeoutMs: 0 });
  if (written.length > 0) print(`reports: ${written.join(', ')}`);
  if (validated.length === 0) {
    print('pame validate: no protocol exchange found in the files given');
    return EXIT.NOT_CARRIED_OUT;
  }
  return breaksMustOrF(validated) ? EXIT.NONCONFORMANT : EXIT.OK;
}

interface ValidateArgs {
  files: string[];
  'base-url'?: string;
  'report-dir': string;
  reporter: string[];
  all: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <files..>',
  describe: 'Validate recorded exchanges offline (HAR files, JSONL exchange logs): findings per exchange with rule ids, exit 1 on any MUST or F failure',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'HAR (.har) or JSONL exchange log (.jsonl) files' })
      .option('base-url', { type: 'string', describe: "validate only HAR entries to this base URL (default: wherever requests carry a request code)" })
      .option('report-dir', { type: 'string', default: 'reports', describe: 'where file reports go' })
      .option('reporter', { type: 'string', array: true, default: ['console'], choices: [...VALIDATE_REPORTERS], describe: 'outputs to write: json (report.json), junit (junit.xml), summary (summary.md)' })
      .option('all', { type: 'boolean', default: false, describe: 'list every exchange, not only those with findings' }) as never,
  handler: async (args) => {
    process.exitCode = await validateFiles(args.files, { ...(args['base-url'] ? { baseUrl: args['base-url'] } : {}), reportDir: args['report-dir'], reporters: args.reporter, all: args.all }, (line) => process.stdout.write(line + '\n'));
  },
};
