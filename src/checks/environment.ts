import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { HiveClient, type Fronting } from '../client/client.js';
import { respOf, type Exchange } from '../client/exchange.js';
import { TrafficRecorder } from '../client/recorder.js';
import { usePeerDomains, type PeerSettings } from '../peer/domains.js';
import { PeerServer } from '../peer/server.js';
import { prepareValidator } from '../validator/exchange.js';

/** A user account the runner may use: registered by a check, or given with --user. */
export interface Account {
  readonly name: string;
  readonly pass: string;
}

/**
 * Everything a check run needs to know, in serialisable form: the runner resolves
 * it once and hands it to every worker (vitest `provide`).
 */
export interface CheckSettings {
  /** The Hive's base URL. */
  readonly target: string;
  /** The Hive's domain, when given; otherwise learned from Epost_ping. */
  readonly domain?: string;
  readonly timeoutMs: number;
  readonly maxReplyBytes: number;
  readonly concurrency: number;
  readonly rate?: number;
  readonly insecure: boolean;
  /** --record: the folder each environment writes its traffic to, one JSON Lines file each. */
  readonly recordDir?: string;
  /** What a Hive behind a gateway needs on every request to it; the proxy serves the checks' client only. */
  readonly fronting?: Fronting;
  /** Budget for one check, all its requests included. */
  readonly checkTimeoutMs: number;
  /** Every user a run registers starts with this, so runs never collide and operators can spot them. */
  readonly userPrefix: string;
  /** Accounts for a Hive with closed registration (--user); empty when the runner registers its own. */
  readonly accounts: readonly Account[];
  /** A second source address the Hive is reachable from (U2 IP binding); absent when there is none. */
  readonly secondSourceAddress?: string;
  /** The Hive's idle session expiry, when the operator made it short enough to observe. */
  readonly sessionIdleMs?: number;
  readonly only: readonly string[];
  readonly skip: readonly string[];
  readonly seed: number;
  readonly fuzzRuns: number;
  /** The runner's peer server, when countersign can be exercised. */
  readonly peer?: PeerSettings;
}

/** The live side of the settings, made once per worker: the shared client and the learned domain. */
export interface CheckEnvironment {
  readonly settings: CheckSettings;
  readonly client: HiveClient;
  /** The Hive's domain, or undefined when it could not be learned. */
  readonly domain: string | undefined;
  /**
   * The runner's peer server, started on first use: only the worker that runs
   * the countersign checks binds the peer port. Rejects when settings.peer is absent.
   */
  peer(): Promise<PeerServer>;
  /** Releases what the environment holds: the client's connections and the peer server. */
  close(): Promise<void>;
}

export async function createEnvironment(settings: CheckSettings): Promise<CheckEnvironment> {
  // Every schema compiled before the first request: compiling them on first use stalled the
  // runner for seconds, long enough for a Hive in the same process to drop idle connections.
  prepareValidator();
  usePeerDomains(settings.peer?.domains);
  const recorder = settings.recordDir ? new TrafficRecorder(join(settings.recordDir, `${randomBytes(6).toString('hex')}.jsonl`)) : undefined;
  const client = new HiveClient(settings.target, {
    ...(recorder ? { onExchange: (exchange) => recorder.record('runner→hive', exchange) } : {}),
    timeoutMs: settings.timeoutMs,
    maxReplyBytes: settings.maxReplyBytes,
    concurrency: settings.concurrency,
    rate: settings.rate,
    insecure: settings.insecure,
    ...(settings.fronting ? { fronting: settings.fronting } : {}),
  });
  let domain = settings.domain;
  if (domain === undefined) {
    const ping = await client.call('Epost_ping', { iam: `${settings.userPrefix}probe` });
    const hive = respOf(ping) === 1 ? (ping.reply?.json as { hive?: unknown }).hive : undefined;
    domain = typeof hive === 'string' && hive.length > 0 ? hive.toLowerCase() : undefined;
  }
  let peer: Promise<PeerServer> | undefined;
  const startPeer = (): Promise<PeerServer> => {
    if (!settings.peer) return Promise.reject(new Error('no peer server in this run (settings.peer is absent)'));
    // The peer Hives reach the Hive as other Hives would: through its gateway, never through the runner's proxy.
    const { proxy: _proxy, ...fronting } = settings.fronting ?? {};
    const bounds = { timeoutMs: settings.timeoutMs, maxReplyBytes: settings.maxReplyBytes, insecure: settings.insecure, fronting, ...(recorder ? { onExchange: (exchange: Exchange) => recorder.record('peer→hive', exchange) } : {}) };
    return PeerServer.start({ peer: settings.peer, hiveUrl: settings.target, hiveDomain: domain, client: bounds, ...(recorder ? { onExchange: (exchange: Exchange) => recorder.record('hive→peer', exchange) } : {}) });
  };
  return {
    settings,
    client,
    domain,
    peer: () => (peer ??= startPeer()),
    close: async () => {
      await client.close();
      await (await peer?.catch(() => undefined))?.close();
      await recorder?.close();
    },
  };
}
