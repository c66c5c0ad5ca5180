import type { CommandModule } from 'yargs';
import { renderTraceability, traceRules } from '../../reports/traceability.js';
import { CATALOG } from '../../../suites/catalog.js';

interface RulesArgs {
  uncovered: boolean;
  json: boolean;
  'fail-uncovered': boolean;
}

export const rulesCommand: CommandModule<object, RulesArgs> = {
  command: 'rules',
  describe: 'Trace every rule of the profile: its level, what it asks, and the checks that cover it (or why none can)',
  builder: (y) =>
    y
      .option('uncovered', { type: 'boolean', default: false, describe: 'list only rules no check covers' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of text' })
      .option('fail-uncovered', { type: 'boolean', default: false, describe: 'exit 1 when an observable rule has no check' }) as never,
  handler: (args) => {
    const traces = traceRules(CATALOG.coverage).filter((trace) => !args.uncovered || trace.state === 'uncovered');
    process.stdout.write(args.json ? JSON.stringify(traces, null, 2) + '\n' : renderTraceability(traces));
    if (args['fail-uncovered'] && traces.some((trace) => trace.state === 'uncovered')) process.exitCode = 1;
  },
};
