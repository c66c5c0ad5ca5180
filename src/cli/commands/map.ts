import type { CommandModule } from 'yargs';
import { DEFAULT_PEER_PORT, peerMap } from '../../peer/domains.js';
import { CONFIG_FLAG, ConfigError, resolveRunOptions, runFlags } from '../config.js';
import { notCarriedOut } from '../not-carried-out.js';

interface MapArgs {
  config?: string;
  [flag: string]: unknown;
}

export const mapCommand: CommandModule<object, MapArgs> = {
  command: 'map',
  describe: 'Print the domain map (--resolve form) a Hive under test needs to reach the runner\'s peer Hives',
  builder: (y) => {
    // The peer options of `pame run`, from the same config file and PAME_* variables, so the map is the run's.
    const flags = runFlags(['peer-host', 'peer-port', 'peer-public-url', 'peer-domains']);
    // A map is written before the Hive under test starts: for a --hive run, whose port is 47100 unless set.
    flags['peer-port'] = { ...flags['peer-port'], defaultDescription: String(DEFAULT_PEER_PORT) };
    return y.options(flags).option('config', CONFIG_FLAG) as never;
  },
  handler: async (args) => {
    try {
      const { options } = await resolveRunOptions({ flags: args, env: process.env, cwd: process.cwd(), ...(args.config ? { configFile: args.config } : {}) });
      process.stdout.write(peerMap({ host: options.peerHost, port: options.peerPort ?? DEFAULT_PEER_PORT, ...(options.peerPublicUrl ? { publicUrl: options.peerPublicUrl } : {}), ...(options.peerDomains ? { domains: options.peerDomains } : {}) }) + '\n');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      notCarriedOut('map', error.message);
    }
  },
};
