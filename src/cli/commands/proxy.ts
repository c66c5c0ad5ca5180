import type { CommandModule } from 'yargs';
import { createValidatingProxy } from '../../proxy/index.js';
import { exchangeLine, exchangeMark, findingLines } from './validate.js';

interface ProxyArgs {
  hive: string;
  port: number;
  host: string;
  log?: string;
  verbose: boolean;
}

export const proxyCommand: CommandModule<object, ProxyArgs> = {
  command: 'proxy',
  describe: 'Validating reverse proxy: point a real client at it; every exchange goes to the Hive unchanged, is validated live and logged as JSONL for `pame validate`',
  builder: (y) =>
    y
      .option('hive', { type: 'string', demandOption: true, describe: 'base URL of the Hive to forward to' })
      .option('port', { type: 'number', default: 8081, describe: 'port to listen on; 0 picks a free one' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
      .option('log', { type: 'string', describe: 'JSONL file to append every exchange to' })
      .option('verbose', { type: 'boolean', default: false, describe: 'print every exchange, not only those that break a rule' }) as never,
  handler: async (args) => {
    const print = (line: string) => process.stdout.write(line + '\n');
    const proxy = createValidatingProxy({
      hive: args.hive,
      ...(args.log ? { log: args.log } : {}),
      onExchange: (exchange, findings) => {
        if (findings.length === 0 && !args.verbose) return;
        print(`${exchangeMark(findings)} ${exchange.startedAt} ${exchangeLine(exchange)}`);
        for (const line of findingLines(findings)) print(line);
      },
    });
    const { url } = await proxy.listen(args.port, args.host);
    print(`pame proxy: ${url} → ${args.hive}${args.log ? `, logging to ${args.log}` : ''}; violations are printed as they happen`);
    const stop = () => void proxy.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
};
