// action.yml: valid action metadata (the vendored SchemaStore schema, with ajv), inputs only through the
// environment, and its steps, run as GitHub would run them, certify a Hive, fill the step summary and fail by the exit code.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from '../fixtures/hostile/measure.js';
import { BAD_HIVES } from '../fixtures/bad-hives/index.js';
import { createHive, TEST_PASSWORD_COST, type ReferenceHive } from '../src/hive/index.js';
import { packageRoot, readSchemaFile } from '../src/paths.js';

interface Step { name?: string; id?: string; run?: string; uses?: string; if?: string; shell?: string; env?: Record<string, string>; with?: Record<string, string> }
interface Action { inputs: Record<string, { default?: string; required?: boolean }>; runs: { using: string; steps: Step[] } }

const schema = readSchemaFile<object>('vendor/github-action.json');
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
let text: string;
let action: Action;

beforeAll(async () => {
  text = await readFile(join(packageRoot, 'action.yml'), 'utf8');
  action = parse(text) as Action;
});

describe('action.yml', () => {
  it('is valid action metadata by the published schema', () => {
    expect(validate(action), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema fails metadata that GitHub would refuse', () => {
    const noShell = structuredClone(action);
    delete noShell.runs.steps[0]!.shell;
    expect(validate(noShell)).toBe(false);
    const { runs: _runs, ...noRuns } = action;
    expect(validate(noRuns)).toBe(false);
    expect(validate({ ...action, inputs: { hive: { required: true } } })).toBe(false);
  });

  it('takes the inputs hive, args, report-dir and wait-for, and no step splices an input into its script', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(['args', 'hive', 'report-dir', 'wait-for']);
    expect(action.inputs.hive!.required).toBe(true);
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
    expect(action.runs.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@') && step.if === 'always()' && step.with?.path === '${{ inputs.report-dir }}')).toBe(true);
  });
});

// The two jobs run against Hives and report directories of their own, so they run side by side.
describe.concurrent('the action\'s steps, run as GitHub runs them', () => {
  let dir: string;
  let good: ReferenceHive;
  let bad: ReferenceHive;
  const urls: string[] = [];
  beforeAll(async () => {
    await ensureCliBuilt();
    dir = await mkdtemp(join(tmpdir(), 'pame-action-'));
    good = createHive({ domain: 'good.pame.test', passwordCost: TEST_PASSWORD_COST });
    bad = BAD_HIVES.find((hive) => hive.name === 'envelope-iam-optional')!.create({ domain: 'bad.pame.test', passwordCost: TEST_PASSWORD_COST });
    for (const hive of [good, bad]) urls.push((await hive.listen(0, '127.0.0.1')).url);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([good?.close(), bad?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  // A certification runs every check (a partial run certifies nothing); the failing Hive is shown failing by a few.
  const FULL_RUN = '--fuzz-runs 0 --peer-port 0 --reporter json summary --quiet';
  const PARTIAL_RUN = '--only PAME-ENV PAME-PING --peer-port 0 --reporter json summary --quiet';

  /** Runs each bash step but the install (done: this is the package) with the inputs GitHub would give; the upload is GitHub's. */
  async function runSteps(hive: string, name: string, args: string): Promise<{ exitCode: number; summary: string; output: string }> {
    const work = await mkdtemp(join(dir, `${name}-`));
    const files = { GITHUB_OUTPUT: join(work, 'output'), GITHUB_STEP_SUMMARY: join(work, 'summary') };
    await Promise.all(Object.values(files).map((file) => writeFile(file, '')));
    const inputs: Record<string, string> = { hive, args, 'report-dir': join(work, 'reports'), 'wait-for': '10' };
    const outputs: Record<string, string> = {};
    const expand = (value: string): string => value.replace(/\$\{\{ *inputs\.([\w-]+) *\}\}/g, (_, input: string) => inputs[input] ?? '').replace(/\$\{\{ *steps\.certify\.outputs\.([\w-]+) *\}\}/g, (_, key: string) => outputs[key] ?? '');
    let exitCode = 0;
    for (const step of action.runs.steps.filter((s) => s.run !== undefined && s.name !== 'Install pame-conformance')) {
      const env = { ...process.env, PAME_CONFIG: '', NO_COLOR: '1', GITHUB_ACTION_PATH: packageRoot, ...files, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, expand(value)])) };
      const result = await promisify(execFile)('bash', ['-e', '-c', step.run!], { env, cwd: work }).then(() => 0, (error: { code?: number }) => error.code ?? 1);
      for (const line of (await readFile(files.GITHUB_OUTPUT, 'utf8')).split('\n')) if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
      exitCode = result;
      if (result !== 0) break;
    }
    return { exitCode, summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'), output: await readFile(files.GITHUB_OUTPUT, 'utf8') };
  }

  it('passes the job for a conformant Hive, with the summary in the step summary', async () => {
    const { exitCode, summary, output } = await runSteps(urls[0]!, 'good', FULL_RUN);
    expect(output).toContain('exit-code=0');
    expect(exitCode).toBe(0);
    expect(summary).toMatch(/conformant/);
  }, 120_000);

  it('fails the job by the exit code for a nonconformant Hive, the summary written all the same', async () => {
    const { exitCode, summary, output } = await runSteps(urls[1]!, 'bad', PARTIAL_RUN);
    expect(output).toContain('exit-code=1');
    expect(exitCode).toBe(1);
    expect(summary).toMatch(/PAME-ENV-001/);
  }, 120_000);
});
