// The options of `pame run` the usual way: defaults, then a config file, then
// PAME_* environment variables, then flags, into one RunOptions, remembering
// where each value came from (docs/options.md).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Options as YargsOption } from 'yargs';
import type { RunConfig } from '../generated/schemas.js';
import { familyOf, RULES } from '../protocol/rules.js';
import { REPORTERS } from '../reports/index.js';
import { DEFAULT_RUN_OPTIONS, parseAccount, parseHeader, type RunOptions } from '../runner/options.js';
import { schemaValidator } from '../validator/schemas.js';

/** The config file `pame run` reads from the working directory when no --config names one. */
export const CONFIG_FILE = 'pame.config.json';

type ConfigKey = Exclude<keyof RunConfig, '$schema'>;

interface OptionSpec {
  /** The key in the config file and in RunOptions. */
  readonly key: ConfigKey;
  /** The flag, without its dashes; the environment variable is PAME_ and the flag in upper snake case. */
  readonly flag: string;
  /** 'path': a string that a config file gives relative to itself. 'list': repeatable, or comma-separated. */
  readonly kind: 'string' | 'path' | 'number' | 'boolean' | 'list';
  readonly describe: string;
  readonly choices?: readonly string[];
  /** Lists whose items may hold commas: newline-separated in the environment, never split on the command line. */
  readonly wholeItems?: boolean;
  /** Shown as [redacted] by --print-config. */
  readonly secret?: (item: string) => string;
}

const hidePassword = (account: string): string => `${account.slice(0, account.indexOf(':'))}:[redacted]`;
const hideHeaderValue = (header: string): string => `${header.slice(0, header.indexOf(':'))}: [redacted]`;

export const RUN_OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'hive', flag: 'hive', kind: 'string', describe: 'base URL of the Hive under test; without it the embedded reference Hive runs' },
  { key: 'domain', flag: 'domain', kind: 'string', describe: "the Hive's domain, when Epost_ping does not tell it" },
  { key: 'reportDir', flag: 'report-dir', kind: 'path', describe: 'where the reports are written' },
  { key: 'only', flag: 'only', kind: 'list', describe: 'run only these check ids or prefixes' },
  { key: 'skip', flag: 'skip', kind: 'list', describe: 'leave out these check ids or prefixes' },
  { key: 'rules', flag: 'rules', kind: 'list', describe: 'run only the checks that name these rules (T4) or rule families (T)' },
  { key: 'levels', flag: 'level', kind: 'list', choices: ['F', 'MUST', 'SHOULD'], describe: 'run only the checks of these levels' },
  { key: 'strict', flag: 'strict', kind: 'boolean', describe: 'warnings (SHOULD failures) fail the run too' },
  { key: 'timeoutMs', flag: 'timeout-ms', kind: 'number', describe: 'deadline of one request' },
  { key: 'checkTimeoutMs', flag: 'check-timeout-ms', kind: 'number', describe: 'deadline of one check' },
  { key: 'maxDurationMs', flag: 'max-duration', kind: 'number', describe: 'deadline of the whole run, in ms' },
  { key: 'maxReplyBytes', flag: 'max-reply-bytes', kind: 'number', describe: 'replies larger than this fail unread' },
  { key: 'users', flag: 'user', kind: 'list', wholeItems: true, secret: hidePassword, describe: 'NAME:PASS account for a Hive with closed registration' },
  { key: 'seed', flag: 'seed', kind: 'number', describe: 'fuzzing seed, to replay a run' },
  { key: 'fuzzRuns', flag: 'fuzz-runs', kind: 'number', describe: 'fuzzing budget per property; 0 turns fuzzing off' },
  { key: 'concurrency', flag: 'concurrency', kind: 'number', describe: 'requests in flight at most' },
  { key: 'rate', flag: 'rate', kind: 'number', describe: 'requests per second at most' },
  { key: 'insecure', flag: 'insecure', kind: 'boolean', describe: 'accept any TLS certificate (shown in the report)' },
  { key: 'headers', flag: 'header', kind: 'list', wholeItems: true, secret: hideHeaderValue, describe: "'Name: value' sent with every request to the Hive (a gateway's credentials; redacted in reports); repeatable" },
  { key: 'ca', flag: 'ca', kind: 'path', describe: "PEM file of authorities to trust besides the system's (a private CA)" },
  { key: 'clientCert', flag: 'client-cert', kind: 'path', describe: 'PEM client certificate for a Hive that asks for one (mTLS); needs --client-key' },
  { key: 'clientKey', flag: 'client-key', kind: 'path', describe: 'PEM key of --client-cert' },
  { key: 'proxy', flag: 'proxy', kind: 'string', describe: "outbound HTTP(S) proxy URL for the runner's requests to the Hive (never the peer server's)" },
  { key: 'waitFor', flag: 'wait-for', kind: 'number', describe: "seconds to wait for the Hive's Epost_ping to answer before the first check (CI starts Hive and runner together)" },
  { key: 'peerHost', flag: 'peer-host', kind: 'string', describe: 'address the peer server binds' },
  { key: 'peerPort', flag: 'peer-port', kind: 'number', describe: "port of the peer server; 0 picks a free one (default: 47100 with --hive, which the Hive's domain map names; a free one for the embedded Hive)" },
  { key: 'peerPublicUrl', flag: 'peer-public-url', kind: 'string', describe: 'URL at which the Hive reaches the peer server' },
  { key: 'sessionIdleMs', flag: 'session-idle-ms', kind: 'number', describe: "the Hive's idle session expiry, when short enough to observe" },
  { key: 'waivers', flag: 'waivers', kind: 'path', describe: 'JSON waiver file for known failures' },
  { key: 'policy', flag: 'policy', kind: 'path', describe: 'JSON ban policy (schemas/run/policy.json): actions by rule, family or level; default profile §9' },
  { key: 'signingKey', flag: 'signing-key', kind: 'path', describe: 'Ed25519 private key (PEM) to sign the certificate' },
  { key: 'reporters', flag: 'reporter', kind: 'list', choices: REPORTERS, describe: 'outputs: console; report.json, junit.xml, summary.md, allure-results/ in --report-dir; certificate (certificate.json, exchanges.jsonl, badge.svg or ban-evidence.json)' },
  { key: 'record', flag: 'record', kind: 'string', choices: ['har'], describe: 'har: every exchange of the run (the checks\', the Hive\'s to the peer server, step 2 back) as traffic.har in --report-dir, secrets redacted' },
  { key: 'quiet', flag: 'quiet', kind: 'boolean', describe: 'print only the verdict (and the decision under --policy)' },
];

const RULE_FAMILIES = new Set([...RULES.keys()].map(familyOf));

/** The entries of a --rules list that are neither a rule id nor a rule family of the profile. */
export function unknownRules(rules: readonly string[]): string[] {
  return rules.filter((rule) => !RULES.has(rule) && !RULE_FAMILIES.has(rule));
}

export const envName = (spec: OptionSpec): string => `PAME_${spec.flag.toUpperCase().replace(/-/g, '_')}`;

/** The options as yargs flags, without defaults: a flag left out must not hide the config file and the environment. */
export function runFlags(named: readonly string[] = RUN_OPTION_SPECS.map((spec) => spec.flag)): Record<string, YargsOption> {
  const defaults = configShaped(DEFAULT_RUN_OPTIONS);
  return Object.fromEntries(
    RUN_OPTION_SPECS.filter((spec) => named.includes(spec.flag)).map((spec) => {
      const fallback = defaults[spec.key];
      const type = spec.kind === 'list' || spec.kind === 'path' ? 'string' : spec.kind;
      return [spec.flag, {
        type, describe: `${spec.describe} [${envName(spec)}]`,
        ...(spec.kind === 'list' ? { array: true } : {}),
        ...(spec.choices ? { choices: [...spec.choices] } : {}),
        ...(fallback !== undefined && !(Array.isArray(fallback) && fallback.length === 0) ? { defaultDescription: Array.isArray(fallback) ? fallback.join(' ') : String(fallback) } : {}),
      } satisfies YargsOption];
    }),
  );
}

/** A config file, the environment or a flag that cannot be taken: the run is not carried out (exit 3). */
export class ConfigError extends Error {}

export interface ResolvedRunOptions {
  readonly options: RunOptions;
  /** Where each option's value came from: 'default', 'file FILE', 'env PAME_X' or 'flag --x'. */
  readonly sources: Readonly<Record<ConfigKey, string>>;
  /** The config file read, when one was. */
  readonly file?: string;
}

/** RunOptions in the config file's terms (accounts as NAME:PASS). */
function configShaped(options: RunOptions): RunConfig {
  const { users, headers, ...rest } = options;
  return { ...rest, headers: Object.entries(headers).map(([name, value]) => `${name}: ${value}`), only: [...options.only], skip: [...options.skip], rules: [...options.rules], levels: [...options.levels], reporters: [...options.reporters], users: users.map((u) => `${u.name}:${u.pass}`) } as RunConfig;
}

function fromConfig(config: RunConfig): RunOptions {
  const { $schema: _schema, users, headers, ...rest } = config;
  return { ...(rest as Omit<RunOptions, 'users' | 'headers'>), users: (users ?? []).map(parseAccount), headers: Object.fromEntries((headers ?? []).map(parseHeader)) };
}

/** One message per schema error, naming the key and where it came from. */
function schemaProblems(config: unknown, sourceOf: (key: string) => string): string[] {
  const validate = schemaValidator('run/config.json');
  if (validate(config)) return [];
  return (validate.errors ?? []).map((error) => {
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const near = RUN_OPTION_SPECS.find((spec) => spec.key.toLowerCase() === key.toLowerCase() || spec.flag === key);
      return `unknown option "${key}" (${sourceOf(key)}); ${near ? `did you mean "${near.key}"?` : `the options are ${RUN_OPTION_SPECS.map((spec) => spec.key).join(', ')}`}`;
    }
    const key = error.instancePath.split('/')[1] ?? '';
    return `"${key}"${error.instancePath.split('/').length > 2 ? error.instancePath.slice(key.length + 1) : ''} ${error.message ?? 'is not valid'} (${sourceOf(key)})`;
  });
}

async function readConfigFile(path: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the config file ${path} is not JSON: ${(error as Error).message}`);
  }
  const problems = schemaProblems(data, () => `in ${path}`);
  if (problems.length > 0) throw new ConfigError(`the config file ${path} is not valid (schemas/run/config.json):\n  ${problems.join('\n  ')}`);
  const config = data as RunConfig;
  // Paths in a file mean the same wherever the run starts.
  const base = dirname(path);
  const located: Record<string, unknown> = { ...config };
  for (const spec of RUN_OPTION_SPECS) if (spec.kind === 'path' && typeof located[spec.key] === 'string') located[spec.key] = resolve(base, located[spec.key] as string);
  return located as RunConfig;
}

function envValue(spec: OptionSpec, text: string): unknown {
  const name = envName(spec);
  switch (spec.kind) {
    case 'number': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) throw new ConfigError(`${name}=${JSON.stringify(text)} is not a number`);
      return value;
    }
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      throw new ConfigError(`${name}=${JSON.stringify(text)} is not a boolean (true/false, 1/0, yes/no)`);
    case 'list':
      return text.split(spec.wholeItems ? '\n' : ',').map((item) => item.trim()).filter((item) => item.length > 0);
    default:
      return text;
  }
}

function flagValue(spec: OptionSpec, value: unknown): unknown {
  if (spec.kind !== 'list') return value;
  const items = (Array.isArray(value) ? value : [value]).map(String);
  return spec.wholeItems ? items : items.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item.length > 0);
}

export interface ConfigSources {
  /** Parsed flags, keyed by flag name; absent keys were not given. */
  readonly flags: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** --config FILE. */
  readonly configFile?: string;
}

/** Defaults, then the config file, then PAME_* variables, then flags: later layers win, key by key. */
export async function resolveRunOptions({ flags, env, cwd, configFile }: ConfigSources): Promise<ResolvedRunOptions> {
  const merged: Record<string, unknown> = { ...configShaped(DEFAULT_RUN_OPTIONS) };
  const sources: Record<string, string> = Object.fromEntries(RUN_OPTION_SPECS.map((spec) => [spec.key, 'default']));

  const named = configFile ?? env.PAME_CONFIG;
  const file = named !== undefined && named !== '' ? resolve(cwd, named) : existsSync(resolve(cwd, CONFIG_FILE)) ? resolve(cwd, CONFIG_FILE) : undefined;
  if (file) {
    const config = await readConfigFile(file);
    for (const spec of RUN_OPTION_SPECS) {
      if (config[spec.key] === undefined) continue;
      merged[spec.key] = config[spec.key];
      sources[spec.key] = `file ${file}`;
    }
  }
  for (const spec of RUN_OPTION_SPECS) {
    const text = env[envName(spec)];
    if (text === undefined || text === '') continue;
    merged[spec.key] = envValue(spec, text);
    sources[spec.key] = `env ${envName(spec)}`;
  }
  for (const spec of RUN_OPTION_SPECS) {
    if (flags[spec.flag] === undefined) continue;
    merged[spec.key] = flagValue(spec, flags[spec.flag]);
    sources[spec.key] = `flag --${spec.flag}`;
  }
  const problems = schemaProblems(merged, (key) => sources[key] ?? 'unknown');
  const unknown = unknownRules(merged.rules as string[]);
  if (unknown.length > 0) problems.push(`"rules" names what the profile does not have: ${unknown.join(', ')} (${sources.rules})`);
  if (merged.hive !== undefined && !/^https?:$/.test(URL.canParse(String(merged.hive)) ? new URL(String(merged.hive)).protocol : '')) problems.push(`"hive" must be an http or https URL, not ${JSON.stringify(merged.hive)} (${sources.hive})`);
  if ((merged.clientCert === undefined) !== (merged.clientKey === undefined)) problems.push(`"clientCert" and "clientKey" go together (${sources.clientCert}; ${sources.clientKey})`);
  if (problems.length > 0) throw new ConfigError(`the options are not valid:\n  ${problems.join('\n  ')}`);
  let options: RunOptions;
  try {
    options = fromConfig(merged as RunConfig);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (${/--header/.test((error as Error).message) ? sources.headers : sources.users})`);
  }
  return { options, sources: sources as Record<ConfigKey, string>, ...(file ? { file } : {}) };
}

/** `pame run --print-config`: every option, its value and where it came from; secrets shown as [redacted]. */
export function renderResolvedOptions({ options, sources, file }: ResolvedRunOptions): string {
  const config = configShaped(options) as Record<string, unknown>;
  const rows = RUN_OPTION_SPECS.map((spec) => {
    const value = config[spec.key];
    const shown = value === undefined ? '(unset)' : Array.isArray(value) ? (value.length === 0 ? '[]' : value.map((item) => (spec.secret ? spec.secret(String(item)) : String(item))).join(' ')) : String(value);
    return [spec.key, shown, sources[spec.key]] as const;
  });
  const keyWidth = Math.max(...rows.map(([key]) => key.length));
  const valueWidth = Math.min(48, Math.max(...rows.map(([, value]) => value.length)));
  const head = `config file: ${file ?? `none (no ${CONFIG_FILE} here, no --config, no PAME_CONFIG)`}`;
  return [head, ...rows.map(([key, value, source]) => `${key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  ${source}`)].join('\n') + '\n';
}
