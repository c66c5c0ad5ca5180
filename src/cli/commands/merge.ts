import type { CommandModule } from 'yargs';
import { writeFleet } from '../../scan/fleet-files.js';
import { fleetExitCode } from '../../scan/fleet.js';
import { gatherReportDirs, mergeFleets, MergeError, readFleet } from '../../scan/merge.js';
import { notCarriedOut } from '../not-carried-out.js';

interface MergeArgs {
  dirs: string[];
  'report-dir': string;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'Join the fleet directories of `pame scan --shard K/N` into one fleet.json, fleet.md and fleet.html (exit: the worst of the Hives\')',
  builder: (y) => y.positional('dirs', { type: 'string', array: true, describe: 'fleet directories of the shards' }).option('report-dir', { type: 'string', demandOption: true, describe: 'the merged fleet directory' }) as never,
  handler: async (args) => {
    try {
      const shards = await Promise.all(args.dirs.map(async (dir) => ({ dir, fleet: await readFleet(dir) })));
      const fleet = mergeFleets(shards);
      await gatherReportDirs(shards, args['report-dir']);
      const written = await writeFleet(args['report-dir'], fleet);
      process.stdout.write(`merged ${shards.length} shards, ${fleet.targets.length} Hives: ${written.join(', ')}\n`);
      process.exitCode = fleetExitCode(fleet.targets);
    } catch (error) {
      if (!(error instanceof MergeError)) throw error;
      notCarriedOut('merge', error.message);
    }
  },
};
