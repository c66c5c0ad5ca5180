import type { CommandModule } from 'yargs';
import { ALLURE_REPORT, buildHtmlReport } from '../../reports/html.js';
import { notCarriedOut } from '../not-carried-out.js';

interface ReportArgs {
  'report-dir': string;
  output?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'Build the browsable HTML report (Allure) from the report.json of a run',
  builder: (y) =>
    y
      .option('report-dir', { type: 'string', default: 'reports', describe: 'the directory `pame run` wrote its reports to' })
      .option('output', { type: 'string', describe: `where the HTML report goes (default <report-dir>/${ALLURE_REPORT})` }) as never,
  handler: async (args) => {
    try {
      const page = await buildHtmlReport(args['report-dir'], args.output);
      process.stdout.write(`HTML report: ${page}\n`);
    } catch (error) {
      notCarriedOut('report', (error as Error).message);
    }
  },
};
