import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { BanPolicy, CheckLevel, CheckResult, Decision, DecisionAction, PolicyAction, PolicyUsed } from '../generated/schemas.js';
import { RULES, compareRuleIds, familyOf } from '../protocol/rules.js';
import { EXIT } from './verdict.js';
import { schemaValidator } from '../validator/schemas.js';

export type { BanPolicy, Decision, DecisionAction, PolicyAction };

/** Actions from mildest to worst; the decision is the worst action any failure earns. */
export const ACTIONS: readonly PolicyAction[] = ['allow', 'warn', 'nonconformant', 'ban'];

/** The longest a waiver may run past the start of a run, unless the policy says otherwise. */
export const DEFAULT_MAX_WAIVER_DAYS = 90;

/** Profile §9 as a policy: MUST failures are nonconformant, SHOULD failures warn, F failures ban. */
export const DEFAULT_POLICY: BanPolicy = { name: 'profile §9', levels: { MUST: 'nonconformant', SHOULD: 'warn', F: 'ban' } };

export interface LoadedPolicy {
  readonly policy: BanPolicy;
  /** What the report and certificate record of it: its name and the SHA-256 of its file. */
  readonly used: PolicyUsed;
}

/** The built-in policy, as a run without --policy uses it. */
export const DEFAULT_LOADED_POLICY: LoadedPolicy = { policy: DEFAULT_POLICY, used: { name: DEFAULT_POLICY.name! } };

/** Reads and validates a --policy file; rule ids and families it names must exist in the catalog, so a typo never goes unnoticed. */
export async function loadPolicy(path: string): Promise<LoadedPolicy> {
  const bytes = await readFile(path);
  const data: unknown = JSON.parse(bytes.toString('utf8'));
  const validate = schemaValidator('run/policy.json');
  if (!validate(data)) throw new Error(`${path} is not a ban policy: ${validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
  const policy = data as BanPolicy;
  const families = new Set([...RULES.keys()].map(familyOf));
  const unknown = Object.keys(policy.rules ?? {}).filter((key) => !RULES.has(key) && !families.has(key));
  if (unknown.length > 0) throw new Error(`${path} names rules or families the profile does not have: ${unknown.join(', ')}`);
  return { policy, used: { name: policy.name ?? path, sha256: createHash('sha256').update(bytes).digest('hex') } };
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

/** A waived failure earns at most a warning, except at level F: a waiver does not hide what bans. */
function waivedAction(action: PolicyAction, level: CheckLevel): PolicyAction {
  return level === 'F' || ACTIONS.indexOf(action) <= ACTIONS.indexOf('warn') ? action : 'warn';
}

/**
 * The one decision a run earns under a policy: the worst action over every
 * failure, a waived one earning at most warn unless it is at level F. A run not
 * carried out in full never allows nor warns: short of nonconformant or ban,
 * its decision is incomplete. Its reasons are machine-readable codes
 * `RULE:ACTION:by-rule|by-family|by-level@LEVEL` (`:waived` added for a waived
 * failure), one per failing rule that earned the decided action, plus
 * `incomplete-run` when the run was not carried out in full.
 */
export function decide(results: readonly CheckResult[], policy: BanPolicy, complete: boolean): Decision {
  const rulings = new Map<string, { rule: string; action: PolicyAction; code: string }>();
  for (const result of results) {
    if (result.status !== 'failed' && result.status !== 'waived') continue;
    const waived = result.status === 'waived';
    for (const failure of result.failures) {
      const ruling = ruleOn(policy, failure.rule, failure.level);
      const action = waived ? waivedAction(ruling.action, failure.level) : ruling.action;
      const key = `${failure.rule}@${failure.level}${waived ? ':waived' : ''}`;
      rulings.set(key, { rule: failure.rule, action, code: `${failure.rule}:${action}:by-${ruling.by}@${failure.level}${waived ? ':waived' : ''}` });
    }
  }
  const worst = ACTIONS[Math.max(0, ...[...rulings.values()].map((r) => ACTIONS.indexOf(r.action)))]!;
  const action: DecisionAction = !complete && ACTIONS.indexOf(worst) <= ACTIONS.indexOf('warn') ? 'incomplete' : worst;
  const reasons = [...rulings.values()]
    .filter((r) => r.action === action)
    .sort((a, b) => compareRuleIds(a.rule, b.rule) || a.code.localeCompare(b.code))
    .map((r) => r.code);
  if (rulings.size === 0) reasons.push('no-failures');
  if (!complete) reasons.push('incomplete-run');
  return { action, reasons };
}

/** The exit code a decision carries: 0 allow or warn (1 under --strict), 1 nonconformant, 2 ban, 3 incomplete (not carried out). */
export function exitCodeOfDecision(decision: Decision, strict: boolean): number {
  switch (decision.action) {
    case 'incomplete':
      return EXIT.NOT_CARRIED_OUT;
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
