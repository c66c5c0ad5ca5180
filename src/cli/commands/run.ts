import type { CommandModule } from 'yargs';
import { ALL_CHECKS, CATALOG, foldRuleSelection } from '../../../suites/catalog.js';
import { selectedChecks } from '../../checks/check.js';
import { writeReports } from '../../reports/index.js';
import { loadSigner } from '../../reports/certificate.js';
import { foldToWidth, progressPrinter, renderSummary, styleFor } from '../../reports/console.js';
import { rerunOptions } from '../../compare/rerun.js';
import type { RunOptions } from '../../runner/options.js';
import { RunAbort, runConformance } from '../../runner/run.js';
import { CONFIG_FLAG, ConfigError, renderResolvedOptions, resolveRunOptions, runFlags, type ResolvedRunOptions } from '../config.js';
import { notCarriedOut } from '../not-carried-out.js';

interface RunArgs {
  config?: string;
  'print-config': boolean;
  'dry-run': boolean;
  'rerun-failed'?: string;
  [flag: string]: unknown;
}

/**
 * The run's options from its arguments: defaults, config file, PAME_* variables,
 * flags (src/cli/config.ts), the rule and level selection folded in, then what
 * --rerun-failed adds. Throws ConfigError or RunAbort.
 */
export async function optionsFromArgs(args: RunArgs): Promise<{ resolved: ResolvedRunOptions; options: RunOptions }> {
  const resolved = await resolveRunOptions({ flags: args, env: process.env, cwd: process.cwd(), ...(args.config ? { configFile: args.config } : {}) });
  const options = foldRuleSelection(resolved.options);
  return { resolved, options: args['rerun-failed'] ? await rerunOptions(args['rerun-failed'], options) : options };
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Certify a Hive: run every conformance check and print the verdict (exit 0 conformant, 1 nonconformant, 2 bannable, 3 not carried out)',
  builder: (y) =>
    y
      .options(runFlags())
      .option('config', CONFIG_FLAG)
      .option('print-config', { type: 'boolean', default: false, describe: 'print the resolved options and where each came from, and stop' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'list the checks that would run, like `pame list`' })
      .option('rerun-failed', { type: 'string', describe: 'a report directory: rerun only its failed and errored checks, against its Hive (unless --hive) with its seed; the report says it is a partial rerun' }) as never,
  handler: async (args) => {
    let resolved: ResolvedRunOptions;
    let options: RunOptions;
    try {
      ({ resolved, options } = await optionsFromArgs(args));
    } catch (error) {
      if (!(error instanceof ConfigError) && !(error instanceof RunAbort)) throw error;
      notCarriedOut('run', error.message);
      return;
    }
    if (args['print-config']) {
      process.stdout.write(renderResolvedOptions(resolved));
      return;
    }
    if (selectedChecks(ALL_CHECKS, options).length === 0) {
      notCarriedOut('run', 'no check is selected by --only, --skip, --rules and --level together');
      return;
    }
    if (args['dry-run']) {
      for (const check of selectedChecks(ALL_CHECKS, options)) process.stdout.write(`${check.id}  ${check.level.padEnd(6)} ${check.rules.join(',').padEnd(12)} ${check.title}\n`);
      return;
    }
    const style = styleFor(process.stdout);
    const write = (text: string) => void (options.quiet ? undefined : process.stdout.write(text));
    const tty = process.stdout.isTTY === true;
    // Read at each line, so a resized terminal gets lines of its new width.
    const columns = (): number | undefined => (tty && process.stdout.columns > 0 ? process.stdout.columns : undefined);
    const print = (text: string) => {
      const width = columns();
      write((width ? text.split('\n').flatMap((line) => foldToWidth(line, width)).join('\n') : text) + '\n');
    };
    const progress = progressPrinter(write, style, tty, columns);
    const redraw = (): void => progress.redraw();
    process.stdout.on('resize', redraw);
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
      const width = columns();
      if (options.reporters.includes('console')) print(renderSummary(outcome.report, style, { ...outcome, ...(width ? { width } : {}) }));
      const written = await writeReports(outcome, options, signer);
      print(`reports: ${written.join(', ')}`);
      if (signer?.ephemeral) print('the certificate is signed with a key made for this run (no --signing-key): it shows the files are unchanged, not who ran the suite');
      if (options.reporters.includes('allure')) print(`HTML report: pame report --report-dir ${options.reportDir}`);
      const decision = options.policy && outcome.report.decision ? `, decision: ${outcome.report.decision.action}` : '';
      if (options.quiet) process.stdout.write(`verdict: ${outcome.report.verdict}${decision}\n`);
      process.exitCode = outcome.exitCode;
    } catch (error) {
      if (!(error instanceof RunAbort)) throw error;
      progress.end();
      notCarriedOut('run', error.message);
    } finally {
      process.stdout.off('resize', redraw);
    }
  },
};
