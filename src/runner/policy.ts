import { readFile } from 'node:fs/promises';
import type { BanPolicy, CheckLevel, CheckResult, Decision, PolicyAction } from '../generated/schemas.js';
import { RULES, compareRuleIds, familyOf } from '../protocol/rules.js';
import { EXIT } from './verdict.js';
import { schemaValidator } from '../validator/schemas.js';

export type { BanPolicy, Decision, PolicyAction };

/** Actions from mildest to worst; the decision is the worst action any failure earns. */
export const ACTIONS: readonly PolicyAction[] = ['allow', 'warn', 'nonconformant', 'ban'];

/** Profile §9 as a policy: MUST failures are nonconformant, SHOULD failures warn, F failures ban. */
export const DEFAULT_POLICY: BanPolicy = { name: 'profile §9', levels: { MUST: 'nonconformant', SHOULD: 'warn', F: 'ban' } };

/** Reads and validates a --policy file; rule ids and families it names must exist in the catalog, so a typo never goes unnoticed. */
export async function loadPolicy(path: string): Promise<BanPolicy> {
  const data: unknown = JSON.parse(await readFile(path, 'utf8'));
  const validate = schemaValidator('run/policy.json');
  if (!validate(data)) throw new Error(`${path} is not a ban policy: ${validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
  const policy = data as BanPolicy;
  const families = new Set([...RULES.keys()].map(familyOf));
  const unknown = Object.keys(policy.rules ?? {}).filter((key) => !RULES.has(key) && !families.has(key));
  if (unknown.length > 0) throw new Error(`${path} names rules or families the profile does not have: ${unknown.join(', ')}`);
  return policy;
}

interface Ruling {
  readonly action: PolicyAction;
  /** What in the policy decided it. */
  readonly by: 'rule' | 'family' | 'level';
}

function ruleOn(policy: BanPolicy, rule: string, level: CheckLevel): Ruling {
  const byRule = policy.rules?.[rule];
  if (byRule) return { action: byRule, by: 'rule' };
  const byFamily = policy.rules?.[familyOf(rule)];
  if (byFamily) return { action: byFamily, by: 'family' };
  return { action: policy.levels?.[level] ?? DEFAULT_POLICY.levels![level]!, by: 'level' };
}

/**
 * The one decision a run earns under a policy: the worst action over every
 * standing failure (waived failures do not count, as for the verdict). Its
 * reasons are machine-readable codes `RULE:ACTION:by-rule|by-family|by-level@LEVEL`,
 * one per failing rule that earned the decided action, plus `incomplete-run`
 * when some check could not be carried out.
 */
export function decide(results: readonly CheckResult[], policy: BanPolicy, complete: boolean): Decision {
  const rulings = new Map<string, { rule: string; action: PolicyAction; code: string }>();
  for (const result of results) {
    if (result.status !== 'failed') continue;
    for (const failure of result.failures) {
      const ruling = ruleOn(policy, failure.rule, failure.level);
      const key = `${failure.rule}@${failure.level}`;
      rulings.set(key, { rule: failure.rule, action: ruling.action, code: `${failure.rule}:${ruling.action}:by-${ruling.by}@${failure.level}` });
    }
  }
  const worst = Math.max(0, ...[...rulings.values()].map((r) => ACTIONS.indexOf(r.action)));
  const action = ACTIONS[worst]!;
  const reasons = [...rulings.values()]
    .filter((r) => r.action === action)
    .sort((a, b) => compareRuleIds(a.rule, b.rule) || a.code.localeCompare(b.code))
    .map((r) => r.code);
  if (rulings.size === 0) reasons.push('no-failures');
  if (!complete) reasons.push('incomplete-run');
  return { action, reasons };
}

/** The exit code a decision carries: 0 allow or warn (1 under --strict), 1 nonconformant, 2 ban. */
export function exitCodeOfDecision(decision: Decision, strict: boolean): number {
  switch (decision.action) {
    case 'ban':
      return EXIT.BANNABLE;
    case 'nonconformant':
      return EXIT.NONCONFORMANT;
    case 'warn':
      return strict ? EXIT.NONCONFORMANT : EXIT.OK;
    case 'allow':
      return EXIT.OK;
  }
}
