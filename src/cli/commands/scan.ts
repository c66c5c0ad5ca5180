import type { Argv, CommandModule } from 'yargs';
import { CATALOG } from '../../../suites/catalog.js';
import { printable } from '../../reports/console.js';
import { loadSigner } from '../../reports/certificate.js';
import type { RunOptions } from '../../runner/options.js';
import { RunAbort } from '../../runner/run.js';
import { writeFleet } from '../../scan/fleet-files.js';
import { fleetExitCode } from '../../scan/fleet.js';
import { scanFleet } from '../../scan/scan.js';
import { parseShard, shardOf } from '../../scan/shard.js';
import { readTargets, TargetError } from '../../scan/targets.js';
import { ConfigError } from '../config.js';
import { optionsFromArgs, runCommand } from './run.js';
import { notCarriedOut } from '../not-carried-out.js';

type RunArgs = Parameters<typeof optionsFromArgs>[0];
interface ScanArgs extends RunArgs {
  targets: string[];
  parallel: number;
  shard?: string;
}

export const scanCommand: CommandModule<object, ScanArgs> = {
  command: 'scan',
  describe: 'Certify many Hives with the options of `pame run`, behind one peer endpoint; writes a report directory per Hive and fleet.json, fleet.md, fleet.html (exit: the worst of the Hives\')',
  builder: (y) =>
    (runCommand.builder as (y: Argv) => Argv)(y)
      .option('targets', { type: 'string', array: true, demandOption: true, describe: 'files of one base URL a line (# comments; per-target --domain, --user, --only, --skip… may follow the URL), or URLs' })
      .option('parallel', { type: 'number', default: 2, describe: 'Hives certified at a time' })
      .option('shard', { type: 'string', describe: 'K/N: certify only the K-th of N balanced shards of the targets (by hash of URL: the same split whatever the order of the file); `pame merge` joins the shards\' fleet directories' })
      .check((args) => {
        if (args.hive !== undefined) throw new Error('pame scan takes its Hives from --targets, not --hive');
        if (args['rerun-failed'] !== undefined || args['dry-run'] || args['print-config']) throw new Error('--rerun-failed, --dry-run and --print-config are options of pame run alone');
        if (!Number.isInteger(args.parallel) || (args.parallel as number) < 1) throw new Error('--parallel takes a whole number of 1 or more');
        return true;
      }) as never,
  handler: async (args) => {
    let options: RunOptions;
    try {
      ({ options } = await optionsFromArgs(args));
    } catch (error) {
      if (!(error instanceof ConfigError) && !(error instanceof RunAbort)) throw error;
      notCarriedOut('scan', error.message);
      return;
    }
    const print = (text: string) => void (options.quiet ? undefined : process.stdout.write(text + '\n'));
    try {
      const shard = args.shard === undefined ? undefined : parseShard(args.shard);
      const listed = await readTargets(args.targets);
      const targets = shard ? shardOf(listed, shard) : listed;
      const signer = options.reporters.includes('certificate') ? await loadSigner(options.signingKey).catch((error: Error) => Promise.reject(new RunAbort(error.message))) : undefined;
      const fleet = await scanFleet(targets, CATALOG, { run: options, parallel: args.parallel }, {
        onStart: (info) => print(`pame scan: ${info.targets} Hives${shard ? ` (shard ${shard.index}/${shard.count} of ${listed.length})` : ''}, ${args.parallel} at a time, seed ${info.seed}\npeer map for every Hive under test: ${info.peerMap}`),
        onTargetEnd: (t) => print(`${t.verdict.padEnd(24)} exit ${t.exit}  ${printable(t.url)} (${printable(t.domain ?? 'domain unknown')})${t.error ? `: ${printable(t.error)}` : ''}`),
      }, signer);
      const written = await writeFleet(options.reportDir, shard ? { ...fleet, shard } : fleet);
      for (const note of fleet.notes ?? []) print(`note: ${printable(note)}`);
      print(`fleet: ${written.join(', ')}`);
      process.exitCode = fleetExitCode(fleet.targets);
      if (options.quiet) process.stdout.write(`exit ${process.exitCode}\n`);
    } catch (error) {
      if (!(error instanceof RunAbort) && !(error instanceof TargetError)) throw error;
      notCarriedOut('scan', error.message);
    }
  },
};
