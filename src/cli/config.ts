// The options of `pame run` (and scan, map) the usual way: defaults, then a config file, then
// PAME_* environment variables, then flags, into one RunOptions, remembering
// where each value came from (docs/options.md).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Options as YargsOption } from 'yargs';
import type { RunConfig } from '../generated/schemas.js';
import { readSchemaFile } from '../paths.js';
import { PEER_NAMES, parsePeerDomains } from '../peer/domains.js';
import { familyOf, RULES } from '../protocol/rules.js';
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

/** What the schema cannot say: flags that are not the key in kebab case (one item a flag), and the lists of secrets. */
const FLAG_OF: Partial<Record<ConfigKey, string>> = { levels: 'level', users: 'user', headers: 'header', reporters: 'reporter', maxDurationMs: 'max-duration' };
// A password or a header value may hold commas: such lists are never split on them.
const SECRET_ITEMS: Partial<Record<ConfigKey, (item: string) => string>> = {
  users: (account) => `${account.slice(0, account.indexOf(':'))}:[redacted]`,
  headers: (header) => `${header.slice(0, header.indexOf(':'))}: [redacted]`,
};

interface PropertySchema {
  readonly type?: string;
  readonly $ref?: string;
  readonly enum?: readonly string[];
  readonly items?: { readonly enum?: readonly string[] };
  readonly description: string;
}

/** One option of schemas/run/config.json: its kind from the JSON type ($defs/path marks a path), its choices from an enum, its help from the description. */
function optionSpec(key: ConfigKey, property: PropertySchema, defs: Readonly<Record<string, PropertySchema>>): OptionSpec {
  const defName = property.$ref?.replace('#/$defs/', '');
  const type = property.type ?? (defName ? defs[defName]?.type : undefined);
  const kind = defName === 'path' ? 'path' : type === 'array' ? 'list' : type === 'integer' || type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'string';
  const choices = property.enum ?? property.items?.enum;
  const secret = SECRET_ITEMS[key];
  return {
    key, kind, describe: property.description,
    flag: FLAG_OF[key] ?? key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`),
    ...(choices ? { choices } : {}),
    ...(secret ? { secret, wholeItems: true } : {}),
  };
}

const CONFIG_SCHEMA = readSchemaFile<{ properties: Record<string, PropertySchema>; $defs: Record<string, PropertySchema> }>('run/config.json');

/** Every option, in the schema's order. */
export const RUN_OPTION_SPECS: readonly OptionSpec[] = Object.entries(CONFIG_SCHEMA.properties)
  .filter(([key]) => key !== '$schema')
  .map(([key, property]) => optionSpec(key as ConfigKey, property, CONFIG_SCHEMA.$defs));

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

/** --config, of every command that reads the options. */
export const CONFIG_FLAG: YargsOption = { type: 'string', describe: `a JSON config file (schemas/run/config.json); default ./${CONFIG_FILE} when there is one [PAME_CONFIG]` };

/** A config file, the environment or a flag that cannot be taken: the run is not carried out (exit 3). */
export class ConfigError extends Error {}

export interface ResolvedRunOptions {
  readonly options: RunOptions;
  /** Where each option's value came from: 'default', 'file FILE', 'env PAME_X' or 'flag --x'. */
  readonly sources: Readonly<Record<ConfigKey, string>>;
  /** The config file read, when one was. */
  readonly file?: string;
}

/** RunOptions in the config file's terms (accounts as NAME:PASS, peer domains as a list). */
function configShaped(options: RunOptions): RunConfig {
  const { users, headers, peerDomains, ...rest } = options;
  return {
    ...rest, headers: Object.entries(headers).map(([name, value]) => `${name}: ${value}`), only: [...options.only], skip: [...options.skip], rules: [...options.rules], levels: [...options.levels], reporters: [...options.reporters], users: users.map((u) => `${u.name}:${u.pass}`),
    ...(peerDomains ? { peerDomains: PEER_NAMES.map((name) => peerDomains[name]) } : {}),
  } as RunConfig;
}

/** The config file's terms as RunOptions; an item that cannot be read names where its option came from. */
function fromConfig(config: RunConfig, sources: Readonly<Record<string, string>>): RunOptions {
  const { $schema: _schema, users, headers, peerDomains, ...rest } = config;
  const read = <T>(key: ConfigKey, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      throw new ConfigError(`${(error as Error).message} (${sources[key]})`);
    }
  };
  return {
    ...(rest as Omit<RunOptions, 'users' | 'headers' | 'peerDomains'>),
    users: read('users', () => (users ?? []).map(parseAccount)),
    headers: read('headers', () => Object.fromEntries((headers ?? []).map(parseHeader))),
    ...(peerDomains ? { peerDomains: read('peerDomains', () => parsePeerDomains(peerDomains)) } : {}),
  };
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
  const options = fromConfig(merged as RunConfig, sources);
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
