// The suites of the conformance run and the checks each holds. `pame list`, the
// CLI hands it to the runner, the project's meta-tests read it; the *.test.ts files bind it to vitest.
import { ruleSelectionAsSkip, type Catalog, type Check, type RuleSelection, type Suite } from '../src/checks/check.js';
import { pingSuite } from './ping.js';
import { countersignSuite } from './countersign.js';
import { privacySuite } from './privacy.js';
import { wireSuite } from './wire/index.js';
import { envelopeSuite } from './envelope.js';
import { addressesSuite } from './addresses.js';
import { accountsSuite } from './accounts.js';
import { sessionsSuite } from './sessions.js';
import { messagesSuite } from './messages.js';
import { conversationsSuite } from './conversations.js';
import { contactsSuite } from './contacts.js';
import { fuzzSuite } from './fuzz.js';

const DECLARED = [
  pingSuite, countersignSuite, privacySuite, wireSuite, envelopeSuite, addressesSuite,
  accountsSuite, sessionsSuite, messagesSuite, conversationsSuite, contactsSuite, fuzzSuite,
] as const satisfies readonly Suite<string>[];

/** The id of a check of the catalog: a typo in a check id written elsewhere (a bad Hive's caughtBy) is a type error. */
export type CheckId = (typeof DECLARED)[number]['checks'][number]['id'];

export const SUITES: readonly Suite<CheckId>[] = DECLARED;

export const ALL_CHECKS: readonly Check<CheckId>[] = SUITES.flatMap((suite) => suite.checks);

/** Which checks verify each rule: rule id → check ids, in catalog order. */
export function coverageMap(): Map<string, string[]> {
  const coverage = new Map<string, string[]>();
  for (const check of ALL_CHECKS) for (const rule of check.rules) coverage.set(rule, [...(coverage.get(rule) ?? []), check.id]);
  return coverage;
}

export const CATALOG: Catalog = { suites: SUITES, coverage: coverageMap() };

/** The options with --rules and --level folded into skip (see ruleSelectionAsSkip). */
export function foldRuleSelection<T extends { readonly skip: readonly string[] } & RuleSelection>(options: T): T {
  const left = ruleSelectionAsSkip(ALL_CHECKS, options);
  return left.length === 0 ? options : { ...options, skip: [...options.skip, ...left] };
}
