import type { CommandModule } from 'yargs';
import { diffRuns, renderDiff } from '../../compare/diff.js';
import { printable } from '../../reports/console.js';
import { EXIT } from '../../runner/verdict.js';
import { notCarriedOut } from '../not-carried-out.js';

interface DiffArgs {
  old: string;
  new: string;
  json: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <old> <new>',
  describe: 'Compare two runs (report directories, or fleet directories of `pame scan`): per Hive, the checks and rules that newly fail, newly pass or fail at another level (exit 1 when something newly fails)',
  builder: (y) =>
    y
      .positional('old', { type: 'string', demandOption: true, describe: 'the earlier report or fleet directory' })
      .positional('new', { type: 'string', demandOption: true, describe: 'the later one' })
      .option('json', { type: 'boolean', default: false, describe: 'print the changes as JSON' }) as never,
  handler: async (args) => {
    try {
      const diffs = await diffRuns(args.old, args.new);
      process.stdout.write(args.json ? JSON.stringify(diffs, null, 2) + '\n' : printable(renderDiff(diffs)));
      process.exitCode = diffs.some((diff) => diff.newlyFailing.length > 0) ? EXIT.NONCONFORMANT : EXIT.OK;
    } catch (error) {
      notCarriedOut('diff', (error as Error).message);
    }
  },
};
