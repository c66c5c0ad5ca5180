import type { CommandModule } from 'yargs';
import { createHive, DEFAULT_IP_LIMITS, DEFAULT_PASSWORD_COST } from '../../hive/index.js';

interface HiveArgs {
  domain: string;
  port: number;
  host: string;
  resolve?: string;
  'session-idle-ms'?: number;
  'scrypt-n': number;
  'ip-limits': boolean;
}

export const hiveCommand: CommandModule<object, HiveArgs> = {
  command: 'hive',
  describe: 'Start the reference Hive (conformant to every rule of the profile)',
  builder: (y) =>
    y
      .option('domain', { type: 'string', default: 'hive.pame.test', describe: 'the domain this Hive serves' })
      .option('port', { type: 'number', default: 8080, describe: 'port to listen on; 0 picks a free one' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
      .option('resolve', { type: 'string', describe: 'domain map DOMAIN=URL,… (T2); default from PAME_RESOLVE' })
      .option('session-idle-ms', { type: 'number', describe: 'idle session expiry (default 30 minutes)' })
      .option('scrypt-n', { type: 'number', default: DEFAULT_PASSWORD_COST.N, describe: 'scrypt cost N of new password hashes; each record keeps its own, so it can be raised later' })
      .option('ip-limits', { type: 'boolean', default: true, describe: `per-IP limits: ${DEFAULT_IP_LIMITS.registrations.max} registrations and ${DEFAULT_IP_LIMITS.sends.max} sends an hour per address; --no-ip-limits for a test bench on one address` }) as never,
  handler: async (args) => {
    const hive = createHive({
      domain: args.domain,
      resolve: args.resolve ?? process.env.PAME_RESOLVE ?? '',
      ...(args['session-idle-ms'] ? { sessionIdleMs: args['session-idle-ms'] } : {}),
      passwordCost: { ...DEFAULT_PASSWORD_COST, N: args['scrypt-n'] },
      ...(args['ip-limits'] ? { ipLimits: DEFAULT_IP_LIMITS } : {}),
    });
    const { url } = await hive.listen(args.port, args.host);
    process.stdout.write(`listening ${url}\n`);
    const stop = () => void hive.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
};
