import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/reports/junit.js';
import { SAMPLE_CHECKS, sampleReport } from './sample-report.js';

interface Case {
  name: string;
  classname: string;
  properties: { property: { name: string; value: string }[] };
  failure?: { message: string; type: string; '#text': string }[];
  error?: { message: string };
  skipped?: { message: string };
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase: Case[];
}

function parse(xml: string): { testsuites: { tests: string; failures: string; testsuite: Suite[] } } {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'failure', 'property'].includes(name) });
  return parser.parse(xml) as never;
}

describe('junit.xml', () => {
  const xml = renderJunit(sampleReport());

  it('is well-formed XML even though a reply held markup, control characters and a lone surrogate', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0001\u0008]/);
    expect(xml).not.toContain('<script>');
  });

  it('has a testsuite per check family and a testcase per check, rule ids in its name and properties', () => {
    const { testsuites } = parse(xml);
    expect(testsuites.testsuite.map((s) => s.name)).toEqual(['PAME-PING', 'PAME-TRN', 'PAME-PRIV', 'PAME-SES', 'PAME-MSG']);
    const cases = testsuites.testsuite.flatMap((s) => s.testcase);
    expect(cases.map((c) => c.name.split(' ')[0]).sort()).toEqual(SAMPLE_CHECKS.map((c) => c.id).sort());
    const priv = cases.find((c) => c.name.startsWith('PAME-PRIV-001'))!;
    expect(priv.name).toContain('[F2 E2]');
    expect(priv.properties.property).toContainEqual({ name: 'rules', value: 'F2 E2' });
    expect(priv.properties.property).toContainEqual({ name: 'level', value: 'F' });
  });

  it('gives each failure its own element with the rule, the exchange and the curl line', () => {
    const cases = parse(xml).testsuites.testsuite.flatMap((s) => s.testcase);
    const priv = cases.find((c) => c.name.startsWith('PAME-PRIV-001'))!;
    expect(priv.failure!.map((f) => f.type)).toEqual(['F F2', 'F F3']);
    expect(priv.failure![0]!.message).toBe('[F2] Epost_user_info answered with data');
    expect(priv.failure![0]!['#text']).toContain('curl -sS');
    expect(priv.failure![0]!['#text']).toContain('sent: POST http://127.0.0.1:8080/');
  });

  it('reports errors as errors, skips with their reason, waived failures as skipped with the waiver', () => {
    const cases = parse(xml).testsuites.testsuite.flatMap((s) => s.testcase);
    const byId = (id: string) => cases.find((c) => c.name.startsWith(id))!;
    expect(byId('PAME-SES-001').error?.message).toContain('the runner broke');
    expect(byId('PAME-SES-009').skipped?.message).toBe('idle expiry takes 30 minutes, past any run');
    expect(byId('PAME-MSG-002').skipped?.message).toMatch(/^waived until 2999-01-01: fix in release 2.1/);
    expect(byId('PAME-PING-001').failure).toBeUndefined();
  });

  it('counts as the report does', () => {
    const { testsuites } = parse(xml);
    expect(testsuites.tests).toBe('7');
    expect(testsuites.failures).toBe('3');
    const trn = testsuites.testsuite.find((s) => s.name === 'PAME-TRN')!;
    expect([trn.tests, trn.failures, trn.errors, trn.skipped]).toEqual(['2', '2', '0', '0']);
  });
});
