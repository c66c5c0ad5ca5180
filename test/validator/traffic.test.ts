// `pame validate` on the recordings of fixtures/traffic/: the good ones pass
// (clients' faults in them included: they bind no Hive), and each bad one fails
// the Hive naming its rule, and no other MUST or F rule.
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFiles, readRecordingFile } from '../../src/cli/commands/validate.js';
import type { RunReport } from '../../src/generated/schemas.js';
import { packageRoot } from '../../src/paths.js';
import { schemaValidator } from '../../src/validator/schemas.js';
import { hiveFindings, validateRecorded } from '../../src/runner/traffic-report.js';

const TRAFFIC = join(packageRoot, 'fixtures', 'traffic');
const fixture = (name: string) => join(TRAFFIC, name);

/** The MUST and F rules the Hive of each bad recording breaks: its own first, then what else the same fault breaks. */
const BAD: Record<string, readonly string[]> = {
  'bad-T3-put-accepted.jsonl': ['T3'],
  'bad-T4-unquoted-part.jsonl': ['T4'],
  'bad-T5-lone-surrogate.jsonl': ['T5'],
  'bad-E1-no-iam.jsonl': ['E1'],
  // The client asked for an unlisted code (its own fault), and the Hive answered another error than -1.1 (the Hive's).
  'bad-E2-unlisted-code-error.jsonl': ['E2'],
  'bad-Q2-short-password.jsonl': ['Q2'],
  'bad-Q3-never-answers.jsonl': ['Q3'],
  'bad-E4-negative-start.jsonl': ['E4'],
  'bad-U1-no-session.jsonl': ['U1'],
  'bad-M1-html-body.jsonl': ['M1'],
  'bad-M2-script-url.jsonl': ['M2'],
  'bad-T6-html-reply.jsonl': ['T6'],
  'bad-T7-server-error.jsonl': ['T7'],
  'bad-R1-unknown-resp.jsonl': ['R1'],
  'bad-G1-message-without-ip.jsonl': ['G1'],
  'bad-A1-upper-case-address.jsonl': ['A1'],
  'bad-F1-client-ip-header.jsonl': ['F1'],
  'bad-F2-user-exists.jsonl': ['F2'],
  'bad-F3-extra-member.jsonl': ['F3'],
  'bad-T8-set-cookie.har': ['T8'],
  'bad-T9-offset-date.jsonl': ['T9'],
};

async function run(files: string[], reporters: string[] = ['console'], reportDir = 'reports') {
  const lines: string[] = [];
  const code = await validateFiles(files, { reportDir, reporters, all: false }, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('fixtures/traffic', () => {
  it('holds one bad recording per rule the validator names, and the table above lists them all', () => {
    const bad = readdirSync(TRAFFIC).filter((name) => name.startsWith('bad-'));
    expect(bad.sort()).toEqual(Object.keys(BAD).sort());
    for (const name of bad) expect(BAD[name]![0], name).toBe(/^bad-([A-Z]\d+)-/.exec(name)![1]);
  });

  it.each(['good.har', 'good.jsonl'])('%s validates: exit 0, no finding at all', async (name) => {
    const { code, output } = await run([fixture(name)]);
    expect(output).not.toContain('✗');
    expect(code, output).toBe(0);
    expect(output).toMatch(/22 exchanges validated.*22 clean, 0 with findings against the Hive; 0 with client findings/);
  });

  it('good.har leaves out the page traffic that is not the protocol', async () => {
    const recording = await readRecordingFile(fixture('good.har'));
    expect(recording.skipped).toBe(2);
    expect(recording.problems).toEqual([]);
  });

  it.each(Object.entries(BAD))('%s fails naming %j', async (name, rules) => {
    const { code, output } = await run([fixture(name)]);
    expect(code, output).toBe(1);
    expect(output).toContain(`[${rules[0]} `);
    const recording = await readRecordingFile(fixture(name));
    const broken = new Set(validateRecorded(recording.exchanges).flatMap((v) => hiveFindings(v.findings).filter((f) => f.level !== 'SHOULD').map((f) => f.rule)));
    expect([...broken].sort()).toEqual([...rules].sort());
  });

  it('good-E2-client-faults.jsonl, a correct Hive refusing what clients sent wrong: conformant, the clients\' faults listed apart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pame-validate-'));
    const { code, output } = await run([fixture('good-E2-client-faults.jsonl')], ['console', 'json'], dir);
    expect(code, output).toBe(0);
    expect(output).not.toMatch(/^✗/m);
    expect(output).toMatch(/9 exchanges validated: 9 clean, 0 with findings against the Hive; 4 with client findings/);
    expect(output).toMatch(/verdict for the Hive: conformant$/m);
    // The clients' section names each fault, as the client's: the unknown code (by POST and by GET), broken JSON, no iam.
    const clients = output.slice(output.indexOf('client findings:'));
    expect(clients.match(/\[E2 MUST, client\]/g)).toHaveLength(2);
    expect(clients).toMatch(/\[T4 MUST, client\] the POST body is not JSON text/);
    expect(clients).toMatch(/\[E1 MUST, client\] the request lacks iam/);
    expect(output).not.toContain(', Hive]');

    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
    const validate = schemaValidator('run/report.json');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.verdict).toBe('conformant');
    expect(report.checks.every((c) => c.status === 'passed')).toBe(true);
    expect(report.notYetSpecified).toEqual(['chats', 'attachments', 'encryption']);
    expect(report.clientFindings?.map((f) => f.rule)).toEqual(['E2', 'E2', 'T4', 'E1']);
    expect(report.clientFindings?.[0]!.evidence?.request.body).toContain('Epost_user_info');
  });

  it('judges the reply to a client\'s bad request as usual: an unknown code answered with another error than -1.1 fails the Hive', async () => {
    const recording = await readRecordingFile(fixture('bad-E2-unlisted-code-error.jsonl'));
    const findings = validateRecorded(recording.exchanges).flatMap((v) => v.findings);
    expect(findings.map((f) => `${f.rule} ${f.party}`).sort()).toEqual(['E2 client', 'E2 hive']);
  });

  it('writes report.json (valid against its schema), junit.xml and summary.md like pame run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pame-validate-'));
    const { code, output } = await run([fixture('good.jsonl'), fixture('bad-F3-extra-member.jsonl')], ['console', 'json', 'junit', 'summary'], dir);
    expect(code).toBe(1);
    expect(output).toContain(join(dir, 'junit.xml'));
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
    const validate = schemaValidator('run/report.json');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.verdict).toBe('bannable');
    const privacy = report.checks.find((c) => c.id === 'PAME-VAL-005')!;
    expect(privacy.status).toBe('failed');
    expect(privacy.failures[0]).toMatchObject({ rule: 'F3', level: 'F' });
    expect(privacy.failures[0]!.evidence?.reply?.body).toContain('welcome');
    expect(report.checks.filter((c) => c.id !== 'PAME-VAL-005').every((c) => c.status === 'passed')).toBe(true);
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toContain('PAME-VAL-005');
  });

  it('exits 3 when there is nothing to validate or a file cannot be read', async () => {
    expect((await run([join(TRAFFIC, 'no-such-file.jsonl')])).code).toBe(3);
    const dir = await mkdtemp(join(tmpdir(), 'pame-validate-'));
    const empty = join(dir, 'empty.jsonl');
    await import('node:fs/promises').then((fs) => fs.writeFile(empty, '\n'));
    expect((await run([empty])).code).toBe(3);
  });
});
