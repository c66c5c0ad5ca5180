#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { packageVersion } from '../paths.js';
import { hiveCommand } from './commands/hive.js';
import { listCommand } from './commands/list.js';
import { mapCommand } from './commands/map.js';
import { runCommand } from './commands/run.js';
import { scanCommand } from './commands/scan.js';
import { mergeCommand } from './commands/merge.js';
import { diffCommand } from './commands/diff.js';
import { reportCommand } from './commands/report.js';
import { rulesCommand } from './commands/rules.js';
import { verifyCertificateCommand } from './commands/verify-certificate.js';
import { validateCommand } from './commands/validate.js';
import { proxyCommand } from './commands/proxy.js';

await yargs(hideBin(process.argv))
  .scriptName('pame')
  .usage('$0 <command> [options]\n\nConformance suite and reference validator for PAME 0.2.1 Hives.')
  .command(runCommand)
  .command(scanCommand)
  .command(mergeCommand)
  .command(diffCommand)
  .command(listCommand)
  .command(hiveCommand)
  .command(mapCommand)
  .command(rulesCommand)
  .command(reportCommand)
  .command(verifyCertificateCommand)
  .command(validateCommand)
  .command(proxyCommand)
  .demandCommand(1, 'name a command; `pame run` certifies a Hive')
  .strict()
  .version(packageVersion)
  .help()
  .wrap(Math.min(110, process.stdout.columns || 100))
  .fail((message, error, y) => {
    // An option yargs could not read (a coerce that threw) is a usage error like any other; anything else is a bug.
    if (error && error.name !== 'YError') throw error;
    process.stderr.write(`${y.help().toString()}\n\n${message ?? error?.message}\n`);
    process.exit(3);
  })
  .parseAsync();
