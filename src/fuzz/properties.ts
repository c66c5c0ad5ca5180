// The fuzz properties the checks of suites/fuzz.ts run, each with the state
// it arranges, what it draws, and how it judges a reply.
import fc from 'fast-check';
import type { CheckContext } from '../checks/context.js';
import { commandSequences, runSequence, type CommandSequence } from './commands.js';
import { judgeMembers, judgeRefused, judgeReply, judgeUnknownCode } from './judges.js';
import { lazy } from './lazy.js';
import { arrangeLiveState } from './live.js';
import { anyNearValidRequest } from './near-valid.js';
import { demandOf } from './oracle.js';
import { letters, roundTrip, type Letter } from './roundtrip.js';
import { fuzz, type FuzzProperty } from './runner.js';
import { sendRequest, showRequest, showValue, type FuzzRequest, type Sent } from './send.js';
import { anyValidRequest, type PartsRequest } from './valid.js';
import { unknownCodeRequest, wildRequest } from './wild.js';

export const FUZZING_OFF = 'fuzzing turned off (--fuzz-runs 0)';

/**
 * Samples per unit of --fuzz-runs, so that the budget buys about the same
 * number of requests in each property: the near-valid and member properties,
 * whose space is every code's parts times every way a part can be wrong,
 * draw more; a letter costs two requests; a command sequence (up to 100
 * commands) counts as ten units.
 */
const SAMPLES_PER_RUN = { anyRequest: 1, nearValid: 2, members: 3, letters: 0.5, unknownCodes: 1 } as const;
const RUNS_PER_SEQUENCE = 10;

const samples = (t: CheckContext, property: keyof typeof SAMPLES_PER_RUN): number => Math.max(1, Math.round(t.settings.fuzzRuns * SAMPLES_PER_RUN[property]));

/** Skips when fuzzing is off; otherwise arranges the property and fuzzes it. */
export async function runFuzz<S>(t: CheckContext, arrange: (t: CheckContext) => Promise<FuzzProperty<S>>): Promise<void> {
  if (t.settings.fuzzRuns <= 0) t.skip(FUZZING_OFF);
  await fuzz(t, await arrange(t));
}

/** `judge` runs after judgeReply, or before it when `judgeFirst` (a judgement that names a rule before R1 would). */
async function requestProperty<R extends FuzzRequest>(t: CheckContext, arbitrary: fc.Arbitrary<R>, runs: number, judge: (request: R, sent: Sent) => void, judgeFirst = false): Promise<FuzzProperty<R>> {
  const state = await arrangeLiveState(t);
  return {
    arbitrary,
    runs,
    unit: 'request',
    // Requests are data; the run's state fills their placeholders only when they are sent.
    immutableSamples: true,
    probe: async (request, trail) => {
      const sent = await sendRequest(request, state, trail);
      if (judgeFirst) judge(request, sent);
      judgeReply(t, sent.exchange);
      if (!judgeFirst) judge(request, sent);
    },
    show: showRequest,
  };
}

/** T6, T7, R1: valid, near-valid, broken and unknown requests alike get a well-formed reply. */
const anything = lazy<FuzzRequest>(() => fc.oneof(
  { weight: 1, arbitrary: anyValidRequest('any') },
  { weight: 1, arbitrary: anyValidRequest('aimed') },
  { weight: 2, arbitrary: anyNearValidRequest() },
  // What no other property sends: bodies and queries written byte for byte.
  { weight: 3, arbitrary: wildRequest },
  { weight: 1, arbitrary: unknownCodeRequest },
));

export const anyRequestGetsAReply = (t: CheckContext) => requestProperty(t, anything(), samples(t, 'anyRequest'), () => undefined);

/**
 * T4, E1, E4, M1, M2…: a request with one part wrong never succeeds, where the
 * profile says it must be refused. Only that is asserted: a near-valid
 * request the oracle finds acceptable may still fail on the run's state, and
 * one it leaves to the Hive ('either') may go either way.
 */
export const invalidPartsAreRefused = (t: CheckContext) =>
  requestProperty<PartsRequest>(t, anyNearValidRequest(), samples(t, 'nearValid'), (request, { exchange, parts }) => {
    const demand = parts && demandOf(request, parts);
    if (demand?.must === 'refuse' && request.fault) judgeRefused(t, exchange, demand.rule, `${request.fault.part} ${request.fault.how}`);
  });

/** F3: no reply, to a request meant to succeed or not, carries a member outside its schema. */
const meantToSucceedMostly = lazy(() => fc.oneof(
  { weight: 2, arbitrary: anyValidRequest('aimed') },
  { weight: 2, arbitrary: anyValidRequest('any') },
  { weight: 1, arbitrary: anyNearValidRequest() },
));

export const repliesHoldOnlyTheirMembers = (t: CheckContext) =>
  requestProperty<PartsRequest>(t, meantToSucceedMostly(), samples(t, 'members'), (_request, { exchange }) => judgeMembers(t, exchange));

/** E2, F2: request codes outside §5 get -1.1 and nothing else. */
export const unknownCodesFail = (t: CheckContext) =>
  requestProperty<PartsRequest>(t, unknownCodeRequest, samples(t, 'unknownCodes'), (_request, { exchange }) => judgeUnknownCode(t, exchange), true);

/** T5: any Unicode subject and body comes back unchanged. */
export async function unicodeRoundTrips(t: CheckContext): Promise<FuzzProperty<Letter>> {
  const [sender] = await t.loggedIn(1);
  const recipient = await t.user();
  return {
    arbitrary: letters,
    runs: samples(t, 'letters'),
    unit: 'letter',
    immutableSamples: true,
    probe: (letter, trail) => roundTrip(t, trail, sender, recipient, letter),
    show: (letter) => `Epost_msg_send by ${letter.method}: ${showValue(letter.parts)}`,
  };
}

/** Q2–Q9, U2, M4, E4: random command sequences agree with the model at every reply. */
export async function sequencesFollowTheModel(t: CheckContext): Promise<FuzzProperty<CommandSequence>> {
  return {
    arbitrary: commandSequences,
    runs: Math.max(1, Math.round(t.settings.fuzzRuns / RUNS_PER_SEQUENCE)),
    unit: 'command sequence',
    // fast-check's command sequences record which commands ran: each check draws its own.
    immutableSamples: false,
    probe: (commands, trail) => runSequence(t, trail, commands),
    show: (commands) => String(commands),
  };
}
