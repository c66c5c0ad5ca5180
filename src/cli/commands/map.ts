import type { CommandModule } from 'yargs';
import { DEFAULT_PEER_HOST, DEFAULT_PEER_PORT, parsePeerDomains, peerMap, type PeerDomains } from '../../peer/domains.js';

interface MapArgs {
  'peer-host': string;
  'peer-port': number;
  'peer-public-url'?: string;
  'peer-domains'?: PeerDomains;
}

export const mapCommand: CommandModule<object, MapArgs> = {
  command: 'map',
  describe: 'Print the domain map (--resolve form) a Hive under test needs to reach the runner\'s peer Hives',
  builder: (y) =>
    y
      .option('peer-host', { type: 'string', default: DEFAULT_PEER_HOST })
      .option('peer-port', { type: 'number', default: DEFAULT_PEER_PORT })
      .option('peer-public-url', { type: 'string', describe: 'the URL the Hive reaches the peer server at' })
      .option('peer-domains', { type: 'string', coerce: parsePeerDomains, describe: 'three DNS names the peer Hives serve instead of alpha, beta and gamma.pame.test' }) as never,
  handler: (args) => {
    process.stdout.write(peerMap({ host: args['peer-host'], port: args['peer-port'], ...(args['peer-public-url'] ? { publicUrl: args['peer-public-url'] } : {}), ...(args['peer-domains'] ? { domains: args['peer-domains'] } : {}) }) + '\n');
  },
};
