// --record har: every exchange of a run in one HAR 1.2 file, secrets redacted, that `pame validate` reads back and judges.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from '../../fixtures/hostile/measure.js';
import { readRecordingFile } from '../../src/cli/commands/validate.js';
import { validateRecorded } from '../../src/runner/traffic-report.js';
import { TRAFFIC_HAR } from '../../src/reports/traffic-har.js';

interface Entry {
  comment: string;
  startedDateTime: string;
  request: { method: string; url: string; headers: { name: string; value: string }[]; postData?: { text: string } };
  response: { status: number; content: { text?: string } };
}

let dir: string;
beforeAll(async () => {
  await ensureCliBuilt();
  dir = await mkdtemp(join(tmpdir(), 'pame-har-'));
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

it('records the checks\' traffic, the Hive\'s to the peer server and step 2 back; validate judges it all', async () => {
  // CS-001 has the Hive fetch step 2 from a peer (hive→peer); CS-012 awaits the Hive's relay, which the peer
  // takes by fetching it back (peer→hive) before the check ends. A relay no check awaits (a local user's reply
  // to a peer user, as in CS-002) may come after the run has ended, and then is rightly not in the recording.
  const run = await runCli(['run', '--only', 'PAME-PING', 'PAME-SES-001', 'PAME-CS-001', 'PAME-CS-012', '--record', 'har', '--reporter', 'json', '--report-dir', dir, '--quiet'], { env: { PAME_CONFIG: '' } });
  // A run of selected checks is partial and certifies nothing (exit 3); none of the selected checks failed.
  expect(run.exitCode, run.stderr + run.stdout).toBe(3);
  const ran = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { verdict: string; counts: { failed: number; error: number } };
  expect([ran.verdict, ran.counts.failed, ran.counts.error]).toEqual(['incomplete', 0, 0]);
  const path = join(dir, TRAFFIC_HAR);
  const text = await readFile(path, 'utf8');
  const har = JSON.parse(text) as { log: { version: string; creator: { name: string }; entries: Entry[] } };
  expect(har.log.version).toBe('1.2');
  const entries = har.log.entries;
  const routes = new Set(entries.map((entry) => entry.comment));
  expect([...routes].sort()).toEqual(['hive→peer', 'peer→hive', 'runner→hive']);
  const started = entries.map((entry) => entry.startedDateTime);
  expect(started).toEqual([...started].sort());

  // Secrets: every password, session key and ticket the traffic carried is shown as "redacted…" only.
  const secretValues = [...text.matchAll(/\\"(pass|session|ticket)\\":\\"([^\\"]*)\\"/g)].map((match) => match[2]!);
  expect(secretValues.length).toBeGreaterThan(0);
  for (const value of secretValues.filter((v) => v.length > 0)) expect(value).toBe('redacted'.repeat(Math.ceil(value.length / 8)).slice(0, value.length));

  // Round trip: every entry is read back, and the reference Hive breaks no rule in its replies to the runner.
  const recording = await readRecordingFile(path);
  expect(recording.problems).toEqual([]);
  expect(recording.exchanges.length + recording.skipped).toBe(entries.length);
  const validated = validateRecorded(recording.exchanges);
  const hiveReplies = validated.filter((item) => entries[Number(/entry (\d+)/.exec(item.source)![1]) - 1]!.comment === 'runner→hive');
  expect(hiveReplies.length).toBeGreaterThan(0);
  expect(hiveReplies.flatMap((item) => item.findings.filter((f) => f.party === 'hive').map((f) => `${item.source}: [${f.rule}] ${f.message}`))).toEqual([]);

  const validate = await runCli(['validate', path, '--reporter', 'console']);
  expect(validate.stdout).toMatch(new RegExp(`${recording.exchanges.length} exchanges validated`));
}, 180_000);
