// Property-based fuzzing and model-based testing (profile §1–§5, §8): what
// hand-written checks did not think of. Samples are drawn from the run's seed
// (--seed) within the run's budget (--fuzz-runs); a failure shows the shrunk
// counterexample, how to replay it, and the curl lines of its requests.
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext } from '../src/checks/context.js';
import type { FuzzProperty } from '../src/fuzz/runner.js';
import { REQUEST_CODES, CODES } from '../src/protocol/codes.js';
import {
  anyRequestGetsAReply,
  invalidPartsAreRefused,
  repliesHoldOnlyTheirMembers,
  runFuzz,
  sequencesFollowTheModel,
  unicodeRoundTrips,
  unknownCodesFail,
} from '../src/fuzz/properties.js';

/**
 * A fuzz check sends hundreds of requests and may shrink a failure: on a
 * loaded machine it needs more than the run's usual check budget.
 */
const FUZZ_CHECK_MS = 90_000;

/** The budget and the run of a check that fuzzes one property. */
const fuzzing = <S>(arrange: (t: CheckContext) => Promise<FuzzProperty<S>>) => ({ timeoutMs: FUZZ_CHECK_MS, run: (t: CheckContext) => runFuzz(t, arrange) });

/** The rules a near-valid request can break, the request codes' own sections included. */
const REQUEST_RULES = ['T4', 'T5', 'E1', 'E2', 'E4', 'U1', 'A1', 'M1', 'M2', ...new Set(REQUEST_CODES.map((code) => CODES[code].rule))];

export const fuzzSuite = defineSuite('fuzz', 'Fuzzing and model-based testing', [
  {
    id: 'PAME-FUZZ-001',
    title: 'whatever is sent (valid, one part wrong, broken encodings, unknown codes), the reply is a JSON object with a resp from the table, never a 5xx',
    rules: ['T6', 'T7', 'R1'],
    level: 'MUST',
    code: '*',
    ...fuzzing(anyRequestGetsAReply),
  },
  {
    id: 'PAME-FUZZ-002',
    title: 'a request with exactly one part wrong (type, length, pattern, encoding, HTML, script URL, odd start/limit) never gets resp 1',
    rules: REQUEST_RULES,
    level: 'MUST',
    code: '*',
    ...fuzzing(invalidPartsAreRefused),
  },
  {
    id: 'PAME-FUZZ-003',
    title: 'no reply, to any fuzzed request, carries a member outside its schema',
    rules: ['F3'],
    level: 'F',
    code: '*',
    ...fuzzing(repliesHoldOnlyTheirMembers),
  },
  {
    id: 'PAME-FUZZ-004',
    title: "any Unicode subject and body (astral, combining, right-to-left, zero-width, controls) is read back unchanged; with HTML or BBCode script URLs set in, M1/M2's forms are refused, lookalikes taken, and fragments short of M2's forms taken or refused (the Hive's choice)",
    rules: ['T5', 'M1', 'M2'],
    level: 'MUST',
    code: 'Epost_msg_send',
    ...fuzzing(unicodeRoundTrips),
  },
  {
    id: 'PAME-FUZZ-005',
    title: 'random unknown request codes (near misses, inventions, noise) never succeed: -1.1 and nothing else',
    rules: ['E2', 'F2'],
    level: 'F',
    code: '*',
    ...fuzzing(unknownCodesFail),
  },
  {
    id: 'PAME-FUZZ-006',
    title: 'random sequences of register, sessions, sends, reads, paging and contact changes agree with a model of the Hive at every reply',
    rules: ['Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'Q8', 'Q9', 'U2', 'M4', 'E4'],
    level: 'MUST',
    code: '*',
    needs: ['registration'],
    ...fuzzing(sequencesFollowTheModel),
  },
]);
