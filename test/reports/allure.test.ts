import { describe, expect, it } from 'vitest';
import { allureFiles, type AllureResult } from '../../src/reports/allure.js';
import { RULES } from '../../src/protocol/rules.js';
import { SAMPLE_CHECKS, sampleReport } from './sample-report.js';

describe('Allure results', () => {
  const files = allureFiles(sampleReport());
  const results = files.filter((f) => f.name.endsWith('-result.json')).map((f) => JSON.parse(f.content) as AllureResult);
  const byCheck = (id: string) => results.find((r) => r.labels.some((l) => l.name === 'check' && l.value === id))!;
  const attachment = (source: string) => files.find((f) => f.name === source)?.content;

  it('has one result per check, named by its id and title', () => {
    expect(results.map((r) => r.name)).toEqual(SAMPLE_CHECKS.map((c) => `${c.id} ${c.title}`));
  });

  it('labels each with its check id, rule ids, level, severity and family', () => {
    const labels = byCheck('PAME-PRIV-001').labels;
    expect(labels).toEqual(expect.arrayContaining([
      { name: 'check', value: 'PAME-PRIV-001' },
      { name: 'rule', value: 'F2' },
      { name: 'rule', value: 'E2' },
      { name: 'level', value: 'F' },
      { name: 'severity', value: 'blocker' },
      { name: 'suite', value: 'PAME-PRIV' },
      { name: 'tag', value: 'F2' },
    ]));
  });

  it('describes each check by the text of its rules from the catalog, and names rules found broken beyond them', () => {
    const description = byCheck('PAME-PRIV-001').description;
    expect(description).toContain(RULES.get('F2')!.summary);
    expect(description).toContain(RULES.get('E2')!.summary);
    expect(description).toMatch(/Also found broken while it ran:\n\n- \*\*F3\*\*/);
  });

  it('maps statuses: failed, error as broken, skips and waivers as skipped (a waiver as a known failure)', () => {
    expect(SAMPLE_CHECKS.map((c) => byCheck(c.id).status)).toEqual(['passed', 'failed', 'failed', 'failed', 'skipped', 'broken', 'skipped']);
    expect(byCheck('PAME-MSG-002').statusDetails).toMatchObject({ known: true, message: 'waived until 2999-01-01: fix in release 2.1' });
    expect(byCheck('PAME-SES-009').statusDetails.message).toBe('idle expiry takes 30 minutes, past any run');
  });

  it('attaches each failure\'s request and reply and its curl line to a step, and the last exchange of a passing check', () => {
    const steps = byCheck('PAME-PRIV-001').steps;
    expect(steps.map((s) => s.name)).toEqual(['[F2] (F) Epost_user_info answered with data', '[F3] (F) member ip is not listed for this code']);
    const [transcript, curl] = steps[0]!.attachments;
    expect(attachment(transcript!.source)).toMatch(/^POST http:\/\/127\.0\.0\.1:8080\/\ncontent-type: application\/json\n\n\{"w":"Epost_user_info"\}\n\nHTTP 200\n/);
    expect(attachment(curl!.source)).toMatch(/^curl -sS/);
    const passing = byCheck('PAME-PING-001').attachments;
    expect(passing.map((a) => a.name)).toEqual(['last exchange: request and reply', 'last exchange: curl']);
    for (const a of results.flatMap((r) => [...r.attachments, ...r.steps.flatMap((s) => s.attachments)])) expect(attachment(a.source), a.source).toBeDefined();
  });

  it('keeps a check\'s history id across runs', () => {
    const again = allureFiles(sampleReport()).filter((f) => f.name.endsWith('-result.json')).map((f) => JSON.parse(f.content) as AllureResult);
    expect(again.map((r) => r.historyId)).toEqual(results.map((r) => r.historyId));
    const earlier = new Set(results.map((r) => r.uuid));
    expect(again.filter((r) => earlier.has(r.uuid))).toEqual([]);
  });

  it('writes the run\'s facts as the environment', () => {
    expect(files.find((f) => f.name === 'environment.properties')?.content).toContain('target=http\\://127.0.0.1\\:8080/\n');
  });
});
