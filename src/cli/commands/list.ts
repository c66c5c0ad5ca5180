import type { CommandModule } from 'yargs';
import { selectedChecks } from '../../checks/check.js';
import { ALL_CHECKS } from '../../../suites/catalog.js';

interface ListArgs {
  only: string[];
  skip: string[];
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'List every check (id, level, rules, title) without contacting anything',
  builder: (y) =>
    y
      .option('only', { type: 'string', array: true, default: [], describe: 'check ids or prefixes' })
      .option('skip', { type: 'string', array: true, default: [], describe: 'check ids or prefixes' }) as never,
  handler: (args) => {
    for (const check of selectedChecks(ALL_CHECKS, args)) {
      process.stdout.write(`${check.id}  ${check.level.padEnd(6)} ${check.code.padEnd(20)} ${check.rules.join(',').padEnd(12)} ${check.title}\n`);
    }
  },
};
