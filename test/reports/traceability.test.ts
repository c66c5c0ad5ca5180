import { describe, expect, it } from 'vitest';
import { RULE_CATALOG } from '../../src/protocol/rules.js';
import { renderTraceability, traceRules, type RuleTrace } from '../../src/reports/traceability.js';
import { ALL_CHECKS, CATALOG } from '../../suites/catalog.js';

describe('pame rules', () => {
  const traces = traceRules(CATALOG.coverage);

  it('traces every rule of the catalog, in catalog order, with the checks that name it', () => {
    expect(traces.map((t) => t.id)).toEqual(RULE_CATALOG.rules.map((r) => r.id));
    for (const trace of traces) expect(trace.checks, trace.id).toEqual(ALL_CHECKS.filter((c) => c.rules.includes(trace.id)).map((c) => c.id));
  });

  it('marks rules as covered, uncovered, or not observable with the reason', () => {
    for (const trace of traces) {
      const rule = RULE_CATALOG.rules.find((r) => r.id === trace.id)!;
      const expected = rule.observable === false ? 'not observable' : trace.checks.length > 0 ? 'covered' : 'uncovered';
      expect(trace.state, trace.id).toBe(expected);
    }
  });

  it('prints each rule with its level, section, summary and coverage', () => {
    const sample: RuleTrace[] = [
      { id: 'T4', level: 'MUST', section: '1 Transport', summary: 'parts are JSON', checks: ['PAME-WIRE-004', 'PAME-WIRE-005'], state: 'covered' },
      { id: 'T12', level: 'MUST', section: '1 Transport', summary: 'other paths are free', checks: [], state: 'not observable', reason: 'nothing to get wrong' },
      { id: 'C6', level: 'MUST', section: '7 Countersign', summary: 'step 1 within 30 s', checks: [], state: 'uncovered' },
    ];
    expect(renderTraceability(sample, [{ topic: 'chats', standard: 'Complete chats specifications (partially done)' }])).toBe(
      [
        'T4   MUST   §1 Transport: parts are JSON',
        '     checks: PAME-WIRE-004 PAME-WIRE-005',
        'T12  MUST   §1 Transport: other paths are free',
        '     not observable: nothing to get wrong',
        'C6   MUST   §7 Countersign: step 1 within 30 s',
        '     UNCOVERED: no check verifies it',
        'chats  not yet specified in 0.2.1: "Complete chats specifications (partially done)" (the standard\'s Todo list); no check covers it',
        '',
        '3 rules: 1 covered, 1 uncovered, 1 not observable; not yet specified: chats',
        '',
      ].join('\n'),
    );
  });

  it('ends with the standard\'s Todo list as not yet specified, covered by nothing', () => {
    const text = renderTraceability(traces);
    for (const topic of ['chats', 'attachments', 'encryption']) expect(text).toMatch(new RegExp(`^${topic} +not yet specified in 0\\.2\\.1: .*no check covers it$`, 'm'));
    expect(text).toMatch(/; not yet specified: chats, attachments, encryption\n$/);
  });
});
