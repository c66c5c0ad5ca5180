import type { CommandModule } from 'yargs';
import { selectedChecks } from '../../checks/check.js';
import { ALL_CHECKS, foldRuleSelection } from '../../../suites/catalog.js';
import { runFlags, unknownRules } from '../config.js';
import { notCarriedOut } from '../not-carried-out.js';

interface ListArgs {
  only: string[];
  skip: string[];
  rules: string[];
  level: string[];
}

const commaSeparated = (items: readonly string[]): string[] => items.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item.length > 0);

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'List every check (id, level, rules, title) without contacting anything',
  builder: (y) => {
    const flags = runFlags(['only', 'skip', 'rules', 'level']);
    // The same filters as `pame run`, from the command line only.
    for (const flag of Object.values(flags)) Object.assign(flag, { default: [], describe: flag.describe?.replace(/ \[PAME_\w+\]$/, '') });
    return y.options(flags) as never;
  },
  handler: (args) => {
    const rules = commaSeparated(args.rules);
    const unknown = unknownRules(rules);
    if (unknown.length > 0) {
      notCarriedOut('list', `--rules names what the profile does not have: ${unknown.join(', ')}`);
      return;
    }
    const options = foldRuleSelection({ only: commaSeparated(args.only), skip: commaSeparated(args.skip), rules, levels: commaSeparated(args.level) });
    for (const check of selectedChecks(ALL_CHECKS, options)) {
      process.stdout.write(`${check.id}  ${check.level.padEnd(6)} ${check.code.padEnd(20)} ${check.rules.join(',').padEnd(12)} ${check.title}\n`);
    }
  },
};
