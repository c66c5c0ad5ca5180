import type { Level, Rule, RuleCatalog } from '../generated/schemas.js';
import { readSchemaFile } from '../paths.js';

export type { Level, Rule };
/** A rule id of the profile: T4, Q10, F3… */
export type RuleId = string;

/** The project's rule catalog (schemas/rules.json): every rule id of the profile, summarised in our words. */
export const RULE_CATALOG = readSchemaFile<RuleCatalog>('rules.json');
export const RULES: ReadonlyMap<RuleId, Rule> = new Map(RULE_CATALOG.rules.map((rule) => [rule.id, rule]));

/** The standard's own Todo list (chats, attachments, encryption): not yet specified, so covered by no check. */
export const NOT_YET_SPECIFIED: readonly string[] = RULE_CATALOG.notYetSpecified.map((item) => item.topic);

/** How every output says it, for the topics a report lists: never as passed, never as covered. */
export function notYetSpecifiedLine(topics: readonly string[] = NOT_YET_SPECIFIED): string {
  return `not yet specified in ${RULE_CATALOG.profile}: ${topics.join(', ')} (the standard's Todo list); no check covers them and no verdict speaks for them`;
}


/** Rule families are the id's letter: T transport, E envelope, A addresses, R reply codes, U sessions, Q request codes, M messages, G Message, C countersign, F privacy. */
export function familyOf(id: RuleId): string {
  let end = id.length;
  while (end > 0 && id[end - 1]! >= '0' && id[end - 1]! <= '9') end--;
  return id.slice(0, end);
}

/** Orders rule ids as the profile does: by family letter in catalog order, then number. */
export function compareRuleIds(a: RuleId, b: RuleId): number {
  const order = RULE_CATALOG.rules.map((r) => r.id);
  return order.indexOf(a) - order.indexOf(b);
}
