// The suites of the conformance run and the checks each holds. `pame list`, the
// runner and the project's meta-tests read this; the *.test.ts files bind it to vitest.
import { selects, type Check } from '../src/checks/check.js';
import type { CheckSettings } from '../src/checks/environment.js';
import { pingChecks } from './ping.js';
import { countersignChecks } from './countersign.js';
import { privacyChecks } from './privacy.js';
import { wireChecks } from './wire.js';
import { envelopeChecks } from './envelope.js';
import { sessionsChecks } from './sessions.js';
import { messagingChecks } from './messaging.js';
import { contactsChecks } from './contacts.js';
import { fuzzChecks } from './fuzz.js';

export interface Suite {
  /** The file stem: suites/<name>.test.ts binds it. */
  readonly name: string;
  readonly title: string;
  readonly checks: readonly Check[];
}

export const SUITES: readonly Suite[] = [
  { name: 'ping', title: 'Epost_ping', checks: pingChecks },
  { name: 'countersign', title: 'Countersign: Hive to Hive (C1–C6, Q10, Q11)', checks: countersignChecks },
  { name: 'privacy', title: 'Privacy: the forbidden things (F1–F5)', checks: privacyChecks },
  { name: 'wire', title: 'Transport (T1–T11)', checks: wireChecks },
  { name: 'envelope', title: 'Envelope and addresses (E1–E4, A1–A3)', checks: envelopeChecks },
  { name: 'sessions', title: 'Accounts, sessions and reply codes (Q2–Q4, R1, R2, U1–U4)', checks: sessionsChecks },
  { name: 'messaging', title: 'Messages and conversations (Q5–Q7, M1–M4, G1)', checks: messagingChecks },
  { name: 'contacts', title: 'Contacts (Q8, Q9)', checks: contactsChecks },
  { name: 'fuzz', title: 'Fuzzing and model-based testing', checks: fuzzChecks },
];

export const ALL_CHECKS: readonly Check[] = SUITES.flatMap((suite) => suite.checks);

export function selectedChecks(checks: readonly Check[], settings: Pick<CheckSettings, 'only' | 'skip'>): Check[] {
  return checks.filter((check) => (settings.only.length === 0 || selects(settings.only, check.id)) && !selects(settings.skip, check.id));
}
