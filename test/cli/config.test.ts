// Options the usual way: defaults < config file < PAME_* < flags, each value's source kept, bad input named.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE, ConfigError, envName, renderResolvedOptions, resolveRunOptions, RUN_OPTION_SPECS, runFlags } from '../../src/cli/config.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/runner/options.js';
import { packageRoot } from '../../src/paths.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pame-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function inDir(config: unknown): Promise<string> {
  const here = await mkdtemp(join(dir, 'cwd-'));
  if (config !== undefined) await writeFile(join(here, CONFIG_FILE), typeof config === 'string' ? config : JSON.stringify(config));
  return here;
}

describe('resolveRunOptions', () => {
  it('takes the defaults when nothing is given, and says so', async () => {
    const resolved = await resolveRunOptions({ flags: {}, env: {}, cwd: await inDir(undefined) });
    expect(resolved.options).toEqual(DEFAULT_RUN_OPTIONS);
    expect(new Set(Object.values(resolved.sources))).toEqual(new Set(['default']));
    expect(resolved.file).toBeUndefined();
  });

  it('layers pame.config.json, then PAME_* variables, then flags, key by key', async () => {
    const cwd = await inDir({ timeoutMs: 5000, fuzzRuns: 3, concurrency: 4, strict: true, waivers: 'waivers.json', users: ['alice:pw:with:colons'] });
    const resolved = await resolveRunOptions({ flags: { concurrency: 2, only: ['PAME-PING,PAME-WIRE-001'] }, env: { PAME_FUZZ_RUNS: '9', PAME_CONCURRENCY: '8', PAME_STRICT: 'false' }, cwd });
    const { options, sources } = resolved;
    expect(options.timeoutMs).toBe(5000);
    expect(sources.timeoutMs).toBe(`file ${join(cwd, CONFIG_FILE)}`);
    expect(options.fuzzRuns).toBe(9);
    expect(sources.fuzzRuns).toBe('env PAME_FUZZ_RUNS');
    expect(options.strict).toBe(false);
    expect(options.concurrency).toBe(2);
    expect(sources.concurrency).toBe('flag --concurrency');
    expect(options.only).toEqual(['PAME-PING', 'PAME-WIRE-001']);
    // A file's paths are relative to the file, not to wherever the run starts.
    expect(options.waivers).toBe(join(cwd, 'waivers.json'));
    expect(options.users).toEqual([{ name: 'alice', pass: 'pw:with:colons' }]);
    expect(options.reportDir).toBe(DEFAULT_RUN_OPTIONS.reportDir);
  });

  it('reads --config FILE, or PAME_CONFIG, instead of the working directory\'s file', async () => {
    const cwd = await inDir({ seed: 1 });
    const other = join(cwd, 'other.json');
    await writeFile(other, JSON.stringify({ seed: 2 }));
    expect((await resolveRunOptions({ flags: {}, env: {}, cwd, configFile: 'other.json' })).options.seed).toBe(2);
    expect((await resolveRunOptions({ flags: {}, env: { PAME_CONFIG: other }, cwd })).options.seed).toBe(2);
    expect((await resolveRunOptions({ flags: {}, env: {}, cwd })).options.seed).toBe(1);
  });

  it('refuses a config file with an unknown or ill-typed key, naming the key and the file', async () => {
    const cwd = await inDir({ timeoutMS: 5000, seed: 'seven' });
    const error = await resolveRunOptions({ flags: {}, env: {}, cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/unknown option "timeoutMS".*did you mean "timeoutMs"/);
    expect((error as Error).message).toMatch(/"seed" must be integer \(in .*pame\.config\.json\)/);
  });

  it('refuses a config file that is not JSON, and a --config that does not exist', async () => {
    await expect(resolveRunOptions({ flags: {}, env: {}, cwd: await inDir('{ timeoutMs: 1 }') })).rejects.toThrow(/is not JSON/);
    await expect(resolveRunOptions({ flags: {}, env: {}, cwd: dir, configFile: 'missing.json' })).rejects.toThrow(/cannot read the config file .*missing\.json/);
  });

  it('refuses environment values that are not of the option\'s type, naming the variable', async () => {
    const cwd = await inDir(undefined);
    await expect(resolveRunOptions({ flags: {}, env: { PAME_RATE: 'fast' }, cwd })).rejects.toThrow('PAME_RATE="fast" is not a number');
    await expect(resolveRunOptions({ flags: {}, env: { PAME_INSECURE: 'maybe' }, cwd })).rejects.toThrow(/PAME_INSECURE="maybe" is not a boolean/);
    await expect(resolveRunOptions({ flags: {}, env: { PAME_CONCURRENCY: '0' }, cwd })).rejects.toThrow(/"concurrency" must be >= 1 \(env PAME_CONCURRENCY\)/);
    await expect(resolveRunOptions({ flags: {}, env: { PAME_REPORTER: 'json,html' }, cwd })).rejects.toThrow(/"reporters"\/1 must be equal to one of the allowed values \(env PAME_REPORTER\)/);
  });

  it('checks flags the same way', async () => {
    await expect(resolveRunOptions({ flags: { 'timeout-ms': Number.NaN }, env: {}, cwd: await inDir(undefined) })).rejects.toThrow(/"timeoutMs" must be integer \(flag --timeout-ms\)/);
    await expect(resolveRunOptions({ flags: { user: ['nopass'] }, env: {}, cwd: await inDir(undefined) })).rejects.toThrow(/"users"\/0 must match.*\(flag --user\)/);
  });

  it('--print-config shows each value and its source, and never a password', async () => {
    const cwd = await inDir({ users: ['alice:hunter2'], timeoutMs: 1234 });
    const text = renderResolvedOptions(await resolveRunOptions({ flags: { seed: 5 }, env: { PAME_QUIET: '1' }, cwd }));
    expect(text).not.toContain('hunter2');
    expect(text).toMatch(/^users +alice:\[redacted\] +file .*pame\.config\.json$/m);
    expect(text).toMatch(/^timeoutMs +1234 +file /m);
    expect(text).toMatch(/^seed +5 +flag --seed$/m);
    expect(text).toMatch(/^quiet +true +env PAME_QUIET$/m);
    expect(text).toMatch(/^reportDir +reports +default$/m);
  });
});

describe('the options, from schemas/run/config.json', () => {
  it('are read by their JSON type: a list splits on commas, a number and a boolean are parsed, a path is relative to the file', async () => {
    const flags = runFlags();
    expect(flags['level']).toMatchObject({ type: 'string', array: true, choices: ['F', 'MUST', 'SHOULD'] });
    expect(flags['timeout-ms']).toMatchObject({ type: 'number' });
    expect(flags['max-duration']?.describe).toBe('deadline of the whole run, in ms [PAME_MAX_DURATION]');
    expect(flags['insecure']).toMatchObject({ type: 'boolean' });
    expect(flags['record']).toMatchObject({ type: 'string', choices: ['har'] });
    expect(Object.keys(flags)).not.toContain('$schema');
    const cwd = await inDir({ signingKey: 'keys/sign.pem', peerDomains: ['p.example', 'q.example', 'r.example'] });
    const { options, sources } = await resolveRunOptions({ flags: {}, env: {}, cwd });
    expect(options.signingKey).toBe(join(cwd, 'keys/sign.pem'));
    expect(options.peerDomains).toEqual({ alpha: 'p.example', beta: 'q.example', gamma: 'r.example' });
    expect(sources.peerDomains).toMatch(/^file /);
  });

  it('take the peer domains from PAME_PEER_DOMAINS and --peer-domains too, and refuse three that are not distinct names', async () => {
    const cwd = await inDir(undefined);
    expect((await resolveRunOptions({ flags: {}, env: { PAME_PEER_DOMAINS: 'a.example, b.example,c.example' }, cwd })).options.peerDomains).toEqual({ alpha: 'a.example', beta: 'b.example', gamma: 'c.example' });
    await expect(resolveRunOptions({ flags: { 'peer-domains': ['a.example,a.example,c.example'] }, env: {}, cwd })).rejects.toThrow(/not three distinct names \(flag --peer-domains\)/);
    await expect(resolveRunOptions({ flags: {}, env: { PAME_PEER_DOMAINS: 'a.example,b.example' }, cwd })).rejects.toThrow(/"peerDomains" must NOT have fewer than 3 items \(env PAME_PEER_DOMAINS\)/);
  });

  it('are each a row of docs/options.md: file key, flag and variable', async () => {
    const doc = await readFile(join(packageRoot, 'docs', 'options.md'), 'utf8');
    const rows = new Set([...doc.matchAll(/^\| (\w+) \| (--[\w-]+) \| (PAME_\w+) \|/gm)].map((row) => row.slice(1, 4).join(' ')));
    expect(rows).toEqual(new Set(RUN_OPTION_SPECS.map((spec) => `${spec.key} --${spec.flag} ${envName(spec)}`)));
  });
});

describe('the README', () => {
  it('shows a config file that resolves as it says', async () => {
    const readme = await readFile(join(packageRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Configuration'));
    const example = /```json\n([\s\S]*?)```/.exec(section)![1]!;
    const resolved = await resolveRunOptions({ flags: {}, env: {}, cwd: await inDir(example) });
    expect(resolved.options.hive).toBe('http://127.0.0.1:8080/');
    expect(resolved.sources.waitFor).toMatch(/^file /);
  });
});

it('refuses a --hive that is not an http(s) URL before the run starts', async () => {
  await expect(resolveRunOptions({ flags: { hive: 'localhost:8080' }, env: {}, cwd: tmpdir() })).rejects.toThrow(/"hive" must be an http or https URL, not "localhost:8080" \(flag --hive\)/);
  await expect(resolveRunOptions({ flags: { hive: '' }, env: {}, cwd: tmpdir() })).rejects.toThrow(/"hive"/);
});
