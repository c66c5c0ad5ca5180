import type { Level, NotYetSpecified } from '../generated/schemas.js';
import { RULE_CATALOG } from '../protocol/rules.js';

export interface RuleTrace {
  readonly id: string;
  readonly level: Level;
  readonly section: string;
  readonly summary: string;
  /** The declared checks that name the rule. */
  readonly checks: readonly string[];
  readonly state: 'covered' | 'uncovered' | 'not observable';
  /** Why a black-box client cannot observe it, for 'not observable'. */
  readonly reason?: string;
}

/** Every rule of the profile with the checks that cover it (`coverage`: rule id → check ids), or why none can. */
export function traceRules(coverage: ReadonlyMap<string, readonly string[]>): RuleTrace[] {
  return RULE_CATALOG.rules.map((rule) => {
    const checks = coverage.get(rule.id) ?? [];
    const state = rule.observable === false ? 'not observable' : checks.length > 0 ? 'covered' : 'uncovered';
    return { id: rule.id, level: rule.level, section: rule.section, summary: rule.summary, checks, state, ...(rule.reason ? { reason: rule.reason } : {}) };
  });
}

/**
 * The traceability table as text: one block per rule, its level, summary and
 * covering checks; then what the profile does not specify yet, covered by nothing.
 */
export function renderTraceability(traces: readonly RuleTrace[], notYetSpecified: readonly NotYetSpecified[] = RULE_CATALOG.notYetSpecified): string {
  const width = Math.max(...traces.map((t) => t.id.length));
  const blocks = traces.map((trace) => {
    const coverage =
      trace.state === 'covered' ? `checks: ${trace.checks.join(' ')}` : trace.state === 'uncovered' ? 'UNCOVERED: no check verifies it' : `not observable: ${trace.reason ?? '(no reason given)'}`;
    const indent = ' '.repeat(width + 2);
    return `${trace.id.padEnd(width)}  ${trace.level.padEnd(6)} §${trace.section}: ${trace.summary}\n${indent}${coverage}`;
  });
  const count = (state: RuleTrace['state']) => traces.filter((t) => t.state === state).length;
  const todo = notYetSpecified.map((item) => `${item.topic.padEnd(width)}  not yet specified in ${RULE_CATALOG.profile}: "${item.standard}" (the standard's Todo list); no check covers it`);
  const totals = `${traces.length} rules: ${count('covered')} covered, ${count('uncovered')} uncovered, ${count('not observable')} not observable`;
  return `${[...blocks, ...todo].join('\n')}\n\n${totals}${todo.length > 0 ? `; not yet specified: ${notYetSpecified.map((item) => item.topic).join(', ')}` : ''}\n`;
}
