// The distributed-scan recipes in deploy/ parse, shard the way `pame scan
// --shard` counts (K from 1 to N, every K once), and merge what they upload.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../src/paths.js';
import { parseShard } from '../../src/scan/shard.js';

const load = async (name: string) => parse(await readFile(join(packageRoot, 'deploy', name), 'utf8')) as Record<string, any>;

describe('deploy/', () => {
  it('the GitHub Actions workflow runs one scan per shard K of N, uploads each, and merges them into the job summary', async () => {
    const workflow = await load('github-actions-scan.yml');
    const shards = workflow.jobs.shard.strategy.matrix.shard as number[];
    const count = Number(workflow.env.SHARDS);
    expect(shards).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    for (const k of shards) expect(parseShard(`${k}/${count}`)).toEqual({ index: k, count });
    const steps = workflow.jobs.shard.steps as { run?: string; uses?: string; with?: Record<string, string> }[];
    const scan = steps.find((s) => s.run?.includes('pame scan'))!.run!;
    expect(scan).toContain('--shard ${{ matrix.shard }}/${{ env.SHARDS }}');
    expect(scan).toContain('--seed ${{ env.SEED }}');
    expect(scan).toContain('--report-dir fleet-${{ matrix.shard }}');
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!.with!.path).toBe('fleet-${{ matrix.shard }}');
    expect(workflow.jobs.merge.needs).toBe('shard');
    const merge = (workflow.jobs.merge.steps as { run?: string }[]).find((s) => s.run?.includes('pame merge'))!.run!;
    expect(merge).toMatch(/pame merge fleet-\* --report-dir fleet/);
    expect(merge).toContain('fleet/fleet.md >> "$GITHUB_STEP_SUMMARY"');
  });

  it('the Kubernetes Indexed Job turns JOB_COMPLETION_INDEX into --shard K/N, one pod per shard', async () => {
    const job = await load('kubernetes-scan-job.yaml');
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const container = job.spec.template.spec.containers[0];
    const count = Number(container.env.find((e: { name: string }) => e.name === 'SHARDS').value);
    expect(job.spec.completions).toBe(count);
    const command = container.args[0] as string;
    expect(command).toContain('--shard $((JOB_COMPLETION_INDEX + 1))/$SHARDS');
    expect(command).toContain('--report-dir /fleet/shard-$((JOB_COMPLETION_INDEX + 1))');
    // The shell arithmetic, for every index the Job hands out, names a valid shard.
    for (let index = 0; index < count; index++) expect(parseShard(`${index + 1}/${count}`).index).toBe(index + 1);
  });
});
