// The suites of the conformance run and the checks each holds. `pame list`, the
// CLI hands it to the runner, the project's meta-tests read it; the *.test.ts files bind it to vitest.
import { ruleSelectionAsSkip, type Catalog, type Check, type RuleSelection, type Suite } from '../src/checks/check.js';
import { pingChecks } from './ping.js';
import { countersignChecks } from './countersign.js';
import { privacyChecks } from './privacy.js';
import { wireChecks } from './wire.js';
import { envelopeChecks } from './envelope.js';
import { addressesChecks } from './addresses.js';
import { accountsChecks } from './accounts.js';
import { sessionsChecks } from './sessions.js';
import { messagesChecks } from './messages.js';
import { conversationsChecks } from './conversations.js';
import { contactsChecks } from './contacts.js';
import { fuzzChecks } from './fuzz.js';

const DECLARED = [
  { name: 'ping', title: 'Epost_ping', checks: pingChecks },
  { name: 'countersign', title: 'Countersign: Hive to Hive (C1–C6, Q10, Q11)', checks: countersignChecks },
  { name: 'privacy', title: 'Privacy: the forbidden things (F1–F5)', checks: privacyChecks },
  { name: 'wire', title: 'Transport (T1–T11)', checks: wireChecks },
  { name: 'envelope', title: 'Envelope (E1–E4)', checks: envelopeChecks },
  { name: 'addresses', title: 'Addresses (A1–A3)', checks: addressesChecks },
  { name: 'accounts', title: 'Accounts (Q2, Q3)', checks: accountsChecks },
  { name: 'sessions', title: 'Sessions and reply codes (Q3, Q4, R1, R2, U1–U4)', checks: sessionsChecks },
  { name: 'messages', title: 'Messages (Q5, Q7, M1–M4, G1)', checks: messagesChecks },
  { name: 'conversations', title: 'Conversations (Q6, Q7)', checks: conversationsChecks },
  { name: 'contacts', title: 'Contacts (Q8, Q9)', checks: contactsChecks },
  { name: 'fuzz', title: 'Fuzzing and model-based testing', checks: fuzzChecks },
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
