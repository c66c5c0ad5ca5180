// The pure parts of a scan: target lines, report directory names, shards, merging.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/generated/schemas.js';
import { mergeFleets, readFleet } from '../../src/scan/merge.js';
import { FLEET_JSON } from '../../src/scan/fleet-files.js';
import { readSchemaFile } from '../../src/paths.js';
import { parseShard, shardOf } from '../../src/scan/shard.js';
import { parseTargetLine, reportDirName } from '../../src/scan/targets.js';

/** What fleet.json lets a report directory be: the one home of the rule merge and diff rely on. */
const REPORT_DIR = new RegExp(readSchemaFile<{ $defs: { target: { properties: { reportDir: { pattern: string } } } } }>('run/fleet.json').$defs.target.properties.reportDir.pattern);

describe('scan targets', () => {
  it('reads a URL with per-target options, and refuses options a target cannot set', () => {
    expect(parseTargetLine('HTTP://Hive.Example:8080 --domain Hive.Example --user ann:secret123 --only PAME-PING --insecure --timeout-ms=500', 'f:1')).toEqual({
      url: 'http://hive.example:8080/',
      options: { domain: 'hive.example', users: [{ name: 'ann', pass: 'secret123' }], only: ['PAME-PING'], insecure: true, timeoutMs: 500 },
    });
    expect(() => parseTargetLine('http://h.example/ --seed 4', 'f:2')).toThrow(/--seed cannot be set per target/);
    expect(() => parseTargetLine('ftp://h.example/', 'f:3')).toThrow(/not an http or https URL/);
  });

  it('names report directories safely whatever domain a Hive claims, and never twice the same', () => {
    for (const hostile of ['../../etc', 'CON', 'a/b\\c:d*?"<>|', '\u202e\u0000x', '.'.repeat(300), '']) {
      const name = reportDirName('http://127.0.0.1:1/', hostile);
      expect(name).toMatch(REPORT_DIR);
    }
    expect(reportDirName('http://127.0.0.1:1/', 'same.example')).not.toBe(reportDirName('http://127.0.0.1:2/', 'same.example'));
  });

  it('shards balanced, covering every target once, the same whatever the order of the file', () => {
    const targets = Array.from({ length: 23 }, (_, i) => ({ url: `http://127.0.0.1:${9000 + i}/` }));
    const shards = [1, 2, 3, 4].map((index) => shardOf(targets, { index, count: 4 }));
    expect(shards.map((s) => s.length).sort()).toEqual([5, 6, 6, 6]);
    expect(shards.flat().map((t) => t.url).sort()).toEqual(targets.map((t) => t.url).sort());
    const reversed = [1, 2, 3, 4].map((index) => shardOf([...targets].reverse(), { index, count: 4 }));
    expect(reversed.map((s) => s.map((t) => t.url).sort())).toEqual(shards.map((s) => s.map((t) => t.url).sort()));
    expect(() => parseShard('3/2')).toThrow(/K\/N/);
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
  });
});

describe('pame merge', () => {
  const target = (url: string, domain: string) => ({ url, domain, verdict: 'conformant' as const, decision: 'allow', exit: 0 as const, reportDir: domain, counts: { passed: 1, failed: 0, skipped: 0, error: 0, timeout: 0, waived: 0 }, failedRules: [], families: {}, durationMs: 1 });
  const fleet = (seed: number, ...targets: ReturnType<typeof target>[]): FleetReport => ({ profile: '0.2.1', suiteVersion: '1', options: { seed, fuzzRuns: 1, only: [], skip: [], strict: false, peerMap: 'm' }, targets });

  it('joins shards in URL order, and refuses shards of other options or the same domain twice', () => {
    const merged = mergeFleets([{ dir: 'b', fleet: fleet(1, target('http://b/', 'b.example')) }, { dir: 'a', fleet: fleet(1, target('http://a/', 'a.example')) }]);
    expect(merged.targets.map((t) => t.url)).toEqual(['http://a/', 'http://b/']);
    expect(() => mergeFleets([{ dir: 'a', fleet: fleet(1, target('http://a/', 'a.example')) }, { dir: 'b', fleet: fleet(2, target('http://b/', 'b.example')) }])).toThrow(/other options/);
    expect(() => mergeFleets([{ dir: 'a', fleet: fleet(1, target('http://a/', 'x.example')) }, { dir: 'b', fleet: fleet(1, target('http://b/', 'x.example')) }])).toThrow(/overlap/);
  });

  it('refuses a shard whose fleet.json points a report directory outside the shard', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pame-fleet-'));
    const escaping = { ...target('http://a/', 'a.example'), reportDir: '../../home-0123456789' };
    await writeFile(join(dir, FLEET_JSON), JSON.stringify(fleet(1, escaping)));
    await expect(readFleet(dir)).rejects.toThrow(/reportDir/);
    await writeFile(join(dir, FLEET_JSON), JSON.stringify(fleet(1, { ...escaping, reportDir: reportDirName('http://a/', 'a.example') })));
    await expect(readFleet(dir)).resolves.toBeDefined();
  });
});
