import type { Account } from '../checks/environment.js';
import type { CheckLevel } from '../generated/schemas.js';
import { DEFAULT_MAX_REPLY_BYTES, DEFAULT_TIMEOUT_MS } from '../client/client.js';
import { DEFAULT_PEER_HOST, type PeerDomains } from '../peer/domains.js';

/** Everything `pame run` can be told, resolved: defaults, then a config file, then flags. */
export interface RunOptions {
  /** The Hive's base URL; absent: the embedded reference Hive. */
  readonly hive?: string;
  readonly domain?: string;
  readonly reportDir: string;
  readonly only: readonly string[];
  readonly skip: readonly string[];
  /**
   * --rules and --level, as given. The CLI folds them into `skip` before the run
   * (suites/catalog.ts ruleSelectionAsSkip), so every selection reaches the runner as only/skip.
   */
  readonly rules: readonly string[];
  readonly levels: readonly CheckLevel[];
  /** Warnings fail the run too. */
  readonly strict: boolean;
  readonly timeoutMs: number;
  readonly checkTimeoutMs: number;
  /** Deadline for the whole run. */
  readonly maxDurationMs: number;
  readonly maxReplyBytes: number;
  readonly users: readonly Account[];
  readonly seed?: number;
  readonly fuzzRuns: number;
  readonly concurrency: number;
  readonly rate?: number;
  readonly insecure: boolean;
  /** Fronted Hives: headers for every request, given as --header 'Name: value'. */
  readonly headers: Readonly<Record<string, string>>;
  /** Paths of PEM files: authorities to trust, and a client certificate with its key. */
  readonly ca?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
  /** Outbound HTTP(S) proxy for the runner's requests to the Hive. */
  readonly proxy?: string;
  /** Seconds to wait for the Hive to answer Epost_ping before the first check (src/runner/wait.ts); 0: none. */
  readonly waitFor: number;
  readonly peerHost: string;
  /**
   * The peer server's port; 0 picks a free one. Unset: the one the Hive's domain
   * map was written for (47100) against --hive, a free one for the embedded Hive,
   * whose domain map the runner writes itself.
   */
  readonly peerPort?: number;
  readonly peerPublicUrl?: string;
  /** The domains the peer Hives serve instead of alpha, beta and gamma.pame.test (--peer-domains). */
  readonly peerDomains?: PeerDomains;
  readonly sessionIdleMs?: number;
  /** Worker threads of this run at most (MAX_WORKERS when unset); a scan running several Hives at once gives each one. */
  readonly maxWorkers?: number;
  readonly waivers?: string;
  readonly policy?: string;
  readonly signingKey?: string;
  /** Set by --rerun-failed: the earlier run whose failed and errored checks this run repeats; the run is then partial. */
  readonly rerunOf?: string;
  readonly reporters: readonly string[];
  readonly quiet: boolean;
  /** Record every exchange of the run: 'har' writes traffic.har in the report directory. */
  readonly record?: 'har';
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  reportDir: 'reports',
  only: [],
  skip: [],
  rules: [],
  levels: [],
  strict: false,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  checkTimeoutMs: 60_000,
  maxDurationMs: 600_000,
  maxReplyBytes: DEFAULT_MAX_REPLY_BYTES,
  users: [],
  // Twice the self-test's 50, at which every known-bad Hive of fixtures/bad-hives/fuzz.ts is caught; the fuzz
  // checks then take under 2 s beside the other suites, and a full run takes no longer for it.
  fuzzRuns: 100,
  concurrency: 16,
  insecure: false,
  headers: {},
  waitFor: 0,
  peerHost: DEFAULT_PEER_HOST,
  reporters: ['console', 'json', 'junit', 'summary', 'allure', 'certificate'],
  quiet: false,
};

/** Reads --user NAME:PASS. */
export function parseAccount(text: string): Account {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1) throw new Error(`--user takes NAME:PASS, not ${JSON.stringify(text)}`);
  return { name: text.slice(0, at), pass: text.slice(at + 1) };
}

/** Reads --header 'Name: value'. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim();
  if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n]/.test(text)) throw new Error(`--header takes 'Name: value', not ${JSON.stringify(text)}`);
  return [name.toLowerCase(), text.slice(colon + 1).trim()];
}
