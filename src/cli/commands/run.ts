import type { CommandModule } from 'yargs';
import { ALL_CHECKS, CATALOG } from '../../../suites/catalog.js';
import { selectedChecks } from '../../checks/check.js';
import { writeReports, REPORTERS } from '../../reports/index.js';
import { loadSigner } from '../../reports/certificate.js';
import { progressPrinter, renderSummary, styleFor } from '../../reports/console.js';
import { parsePeerDomains, type PeerDomains } from '../../peer/domains.js';
import { DEFAULT_RUN_OPTIONS as D, parseAccount, type RunOptions } from '../../runner/options.js';
import { rerunOptions } from '../../compare/rerun.js';
import { RunAbort, runConformance } from '../../runner/run.js';
import { EXIT } from '../../runner/verdict.js';

interface RunArgs {
  hive?: string;
  domain?: string;
  'report-dir': string;
  only: string[];
  skip: string[];
  strict: boolean;
  'timeout-ms': number;
  'check-timeout-ms': number;
  'max-duration': number;
  'max-reply-bytes': number;
  user: string[];
  seed?: number;
  'fuzz-runs': number;
  concurrency: number;
  rate?: number;
  insecure: boolean;
  'peer-host': string;
  'peer-port'?: number;
  'peer-public-url'?: string;
  'peer-domains'?: PeerDomains;
  'session-idle-ms'?: number;
  waivers?: string;
  policy?: string;
  'signing-key'?: string;
  reporter: string[];
  quiet: boolean;
  'dry-run': boolean;
  'rerun-failed'?: string;
}

export function toRunOptions(args: RunArgs): RunOptions {
  return {
    ...(args.hive ? { hive: args.hive } : {}),
    ...(args.domain ? { domain: args.domain } : {}),
    reportDir: args['report-dir'],
    only: args.only,
    skip: args.skip,
    strict: args.strict,
    timeoutMs: args['timeout-ms'],
    checkTimeoutMs: args['check-timeout-ms'],
    maxDurationMs: args['max-duration'],
    maxReplyBytes: args['max-reply-bytes'],
    users: args.user.map(parseAccount),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    fuzzRuns: args['fuzz-runs'],
    concurrency: args.concurrency,
    ...(args.rate ? { rate: args.rate } : {}),
    insecure: args.insecure,
    peerHost: args['peer-host'],
    ...(args['peer-port'] !== undefined ? { peerPort: args['peer-port'] } : {}),
    ...(args['peer-public-url'] ? { peerPublicUrl: args['peer-public-url'] } : {}),
    ...(args['peer-domains'] ? { peerDomains: args['peer-domains'] } : {}),
    ...(args['session-idle-ms'] ? { sessionIdleMs: args['session-idle-ms'] } : {}),
    ...(args.waivers ? { waivers: args.waivers } : {}),
    ...(args.policy ? { policy: args.policy } : {}),
    ...(args['signing-key'] ? { signingKey: args['signing-key'] } : {}),
    reporters: args.reporter,
    quiet: args.quiet,
  };
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Certify a Hive: run every conformance check and print the verdict (exit 0 conformant, 1 nonconformant, 2 bannable, 3 not carried out)',
  builder: (y) =>
    y
      .config('config', 'a JSON file of options; flags override it')
      .option('hive', { type: 'string', describe: 'base URL of the Hive under test; without it the embedded reference Hive runs' })
      .option('domain', { type: 'string', describe: "the Hive's domain, when Epost_ping does not tell it" })
      .option('report-dir', { type: 'string', default: D.reportDir })
      .option('only', { type: 'string', array: true, default: [], describe: 'run only these check ids or prefixes' })
      .option('skip', { type: 'string', array: true, default: [], describe: 'leave out these check ids or prefixes' })
      .option('strict', { type: 'boolean', default: D.strict, describe: 'warnings (SHOULD failures) fail the run too' })
      .option('timeout-ms', { type: 'number', default: D.timeoutMs, describe: 'deadline of one request' })
      .option('check-timeout-ms', { type: 'number', default: D.checkTimeoutMs, describe: 'deadline of one check' })
      .option('max-duration', { type: 'number', default: D.maxDurationMs, describe: 'deadline of the whole run, in ms' })
      .option('max-reply-bytes', { type: 'number', default: D.maxReplyBytes })
      .option('user', { type: 'string', array: true, default: [], describe: 'NAME:PASS account for a Hive with closed registration' })
      .option('seed', { type: 'number', describe: 'fuzzing seed, to replay a run' })
      .option('fuzz-runs', { type: 'number', default: D.fuzzRuns, describe: 'fuzzing budget per property; 0 turns fuzzing off' })
      .option('concurrency', { type: 'number', default: D.concurrency, describe: 'requests in flight at most (per worker)' })
      .option('rate', { type: 'number', describe: 'requests per second at most (per worker)' })
      .option('insecure', { type: 'boolean', default: D.insecure, describe: 'accept any TLS certificate (shown in the report)' })
      .option('peer-host', { type: 'string', default: D.peerHost, describe: 'address the peer server binds' })
      .option('peer-port', { type: 'number', describe: 'port of the peer server; 0 picks a free one (default: 47100 with --hive, which the Hive\'s domain map names; a free one for the embedded Hive)' })
      .option('peer-public-url', { type: 'string', describe: 'URL at which the Hive reaches the peer server' })
      .option('peer-domains', { type: 'string', coerce: parsePeerDomains, describe: 'three DNS names the peer Hives serve instead of alpha, beta and gamma.pame.test (docs/scan.md): a Hive resolving them by the default base URL needs no map' })
      .option('session-idle-ms', { type: 'number', describe: "the Hive's idle session expiry, when short enough to observe" })
      .option('waivers', { type: 'string', describe: 'JSON waiver file for known failures' })
      .option('policy', { type: 'string', describe: 'JSON ban policy (schemas/run/policy.json): actions by rule, family or level; default profile §9' })
      .option('signing-key', { type: 'string', describe: 'Ed25519 private key (PEM) to sign the certificate' })
      .option('reporter', { type: 'string', array: true, default: [...D.reporters], choices: [...REPORTERS], describe: 'outputs: console; report.json, junit.xml, summary.md, allure-results/ in --report-dir; certificate (certificate.json, exchanges.jsonl, badge.svg or ban-evidence.json)' })
      .option('quiet', { type: 'boolean', default: D.quiet, describe: 'print only the verdict (and the decision under --policy)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'list the checks that would run, like `pame list`' })
      .option('rerun-failed', { type: 'string', describe: "a report directory: rerun only its failed and errored checks, against its Hive (unless --hive) with its seed; the report says it is a partial rerun" }) as never,
  handler: async (args) => {
    let options: RunOptions;
    try {
      options = args['rerun-failed'] ? await rerunOptions(args['rerun-failed'], toRunOptions(args)) : toRunOptions(args);
    } catch (error) {
      if (!(error instanceof RunAbort)) throw error;
      process.stderr.write(`pame run: ${error.message}\n`);
      process.exitCode = EXIT.NOT_CARRIED_OUT;
      return;
    }
    if (args['dry-run']) {
      for (const check of selectedChecks(ALL_CHECKS, options)) process.stdout.write(`${check.id}  ${check.level.padEnd(6)} ${check.rules.join(',').padEnd(12)} ${check.title}\n`);
      return;
    }
    const style = styleFor(process.stdout);
    const write = (text: string) => void (options.quiet ? undefined : process.stdout.write(text));
    const print = (text: string) => write(text + '\n');
    const progress = progressPrinter(write, style, process.stdout.isTTY === true);
    try {
      // A bad --signing-key ends the run before it starts, not after.
      const signer = options.reporters.includes('certificate') ? await loadSigner(options.signingKey).catch((error: Error) => Promise.reject(new RunAbort(error.message))) : undefined;
      const outcome = await runConformance(options, CATALOG, {
        onStart: (info) => {
          print(`pame-conformance: ${info.total} checks against ${info.target}${info.embedded ? ' (embedded reference Hive)' : ''}, seed ${info.seed}`);
          if (!info.embedded) print(`peer map for the Hive under test: ${info.peerMap}`);
        },
        onProgress: (done) => progress.update(done),
      });
      progress.end();
      if (options.reporters.includes('console')) print(renderSummary(outcome.report, style, outcome));
      const written = await writeReports(outcome, options, signer);
      print(`reports: ${written.join(', ')}`);
      if (signer?.ephemeral) print('the certificate is signed with a key made for this run (no --signing-key): it shows the files are unchanged, not who ran the suite');
      if (options.reporters.includes('allure')) print(`HTML report: pame report --report-dir ${options.reportDir}`);
      const decision = options.policy && outcome.report.decision ? `, decision: ${outcome.report.decision.action}` : '';
      if (options.quiet) process.stdout.write(`verdict: ${outcome.report.verdict}${decision}\n`);
      process.exitCode = outcome.exitCode;
    } catch (error) {
      if (!(error instanceof RunAbort)) throw error;
      process.stderr.write(`pame run: ${error.message}\n`);
      process.exitCode = EXIT.NOT_CARRIED_OUT;
    }
  },
};
