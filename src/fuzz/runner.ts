// Runs a fuzz property against the Hive: the run's seed draws the samples,
// which are independent of each other and go out with bounded concurrency;
// only when one fails does fast-check take over, from that very sample
// (replay path), and shrink it to the smallest that still fails.
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { CallOptions, RawRequest } from '../client/client.js';
import type { Exchange } from '../client/exchange.js';
import type { CheckContext } from '../checks/context.js';
import { curlFor } from '../validator/evidence.js';
import { CheckFailure, type Finding } from '../checks/outcome.js';

/** The exchanges of one sample, so a failure shows exactly the requests involved. */
export class Trail {
  readonly exchanges: Exchange[] = [];

  constructor(readonly t: CheckContext) {}

  async send(raw: RawRequest): Promise<Exchange> {
    return this.keep(await this.t.send(raw));
  }

  async call(code: string, parts: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<Exchange> {
    return this.keep(await this.t.call(code, parts, options));
  }

  private keep(exchange: Exchange): Exchange {
    this.exchanges.push(exchange);
    return exchange;
  }
}

export interface FuzzProperty<S> {
  readonly arbitrary: fc.Arbitrary<S>;
  /** How many samples the budget buys. */
  readonly runs: number;
  /** What one sample is, in notes: 'request', 'command sequence'. */
  readonly unit: string;
  /** Samples hold no state: what a seed draws can serve every check and Hive of the process. */
  readonly immutableSamples: boolean;
  /** Sends one sample and judges what comes back; a CheckFailure means the Hive broke a rule. */
  probe(sample: S, trail: Trail): Promise<void>;
  /** The sample as a failure report shows it. */
  show(sample: S): string;
}

interface Attempt<S> {
  readonly sample: S;
  readonly finding: Finding | undefined;
  readonly exchanges: readonly Exchange[];
}

async function attempt<S>(t: CheckContext, property: FuzzProperty<S>, sample: S): Promise<Attempt<S>> {
  const trail = new Trail(t);
  try {
    await property.probe(sample, trail);
    return { sample, finding: undefined, exchanges: trail.exchanges };
  } catch (error) {
    if (error instanceof CheckFailure) return { sample, finding: error.finding, exchanges: trail.exchanges };
    throw error;
  }
}

const drawn = new WeakMap<fc.Arbitrary<unknown>, Map<string, readonly unknown[]>>();

/** The samples a seed draws: the same for every check of the process that draws as many from the same arbitrary. */
function draw<S>(property: FuzzProperty<S>, seed: number): readonly S[] {
  if (!property.immutableSamples) return fc.sample(property.arbitrary, { seed, numRuns: property.runs });
  let bySeed = drawn.get(property.arbitrary);
  if (!bySeed) drawn.set(property.arbitrary, (bySeed = new Map()));
  const key = `${seed} ${property.runs}`;
  let samples = bySeed.get(key);
  if (!samples) bySeed.set(key, (samples = fc.sample(property.arbitrary, { seed, numRuns: property.runs })));
  return samples as readonly S[];
}

/** Runs `work` on every item, at most `limit` at a time, keeping the order of the results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** What a failure report says besides the finding: the sample, how to replay it, the requests. */
interface Counterexample {
  readonly shown: string;
  readonly shrinks: number;
  readonly path: string;
  readonly exchanges: readonly Exchange[];
}

/** How many curl lines a report shows at most: a shrunk model sequence is short, but not always. */
const SHOWN_REQUESTS = 12;

function describeCounterexample(t: CheckContext, finding: Finding, counterexample: Counterexample): string {
  const { seed, fuzzRuns } = t.settings;
  const curls = counterexample.exchanges.slice(-SHOWN_REQUESTS).map((exchange) => `  ${curlFor(exchange, t.secrets)}`);
  const cut = counterexample.exchanges.length - curls.length;
  return [
    finding.message,
    `counterexample (shrunk ${counterexample.shrinks} times): ${counterexample.shown}`,
    `seed ${seed}, replay path "${counterexample.path}": pame run --seed ${seed} --fuzz-runs ${fuzzRuns} --only ${t.spec.id}` +
      ` (fast-check: fc.check(property, { seed: ${seed}, path: "${counterexample.path}" }))`,
    `requests of the counterexample${cut > 0 ? ` (the last ${curls.length} of ${counterexample.exchanges.length})` : ''}:`,
    ...curls,
  ].join('\n');
}

/**
 * Time left for shrinking: half of what remains of the check's budget, and no
 * more than a twentieth of the whole budget (at least 5 s), so a run stays
 * short; a longer budget buys a longer shrink, which a loaded machine needs
 * to reach the same counterexample (shrinking itself is deterministic).
 */
function shrinkBudgetMs(t: CheckContext, startedAt: number): number {
  const budget = t.spec.timeoutMs ?? t.settings.checkTimeoutMs;
  return Math.max(500, Math.min(Math.max(5_000, budget / 20), (budget - (Date.now() - startedAt)) / 2));
}

/**
 * Shrinks from the failing sample at `index` of the seed's stream: the same
 * arbitrary, seed and path make fast-check start at that very sample.
 */
async function shrink<S>(t: CheckContext, property: FuzzProperty<S>, index: number, startedAt: number): Promise<{ smallest?: Attempt<S>; shrinks: number; path: string }> {
  let smallest: Attempt<S> | undefined;
  let broken: unknown;
  const details = await fc.check(
    fc.asyncProperty(property.arbitrary, async (sample) => {
      try {
        const result = await attempt(t, property, sample);
        if (!result.finding) return true;
        smallest = result;
        return false;
      } catch (error) {
        // The runner broke, not the Hive: stop shrinking, report it as an error.
        broken ??= error;
        return true;
      }
    }),
    { seed: t.settings.seed, path: String(index), numRuns: property.runs, interruptAfterTimeLimit: shrinkBudgetMs(t, startedAt) },
  );
  if (broken !== undefined) throw broken;
  return { ...(details.failed && smallest ? { smallest } : {}), shrinks: details.numShrinks, path: details.counterexamplePath ?? String(index) };
}

/**
 * Checks a property over `runs` samples drawn from the run's seed. Ends the
 * check with the shrunk counterexample, the seed, the replay path and the
 * curl lines of its requests when the Hive breaks the property; notes the
 * seed and the throughput either way.
 */
export async function fuzz<S>(t: CheckContext, property: FuzzProperty<S>): Promise<void> {
  const startedAt = Date.now();
  const { seed, concurrency } = t.settings;
  const samples = draw(property, seed);
  const sendingFrom = performance.now();
  const attempts = await mapBounded(samples, concurrency, (sample) => attempt(t, property, sample));
  const requests = attempts.reduce((sum, a) => sum + a.exchanges.length, 0);
  const seconds = (performance.now() - sendingFrom) / 1000;
  t.note(`seed ${seed}: ${samples.length} ${property.unit}s, ${requests} requests in ${seconds.toFixed(3)} s (${Math.round(requests / Math.max(seconds, 0.001))} requests/s)`);
  const index = attempts.findIndex((a) => a.finding !== undefined);
  if (index < 0) return;
  const shrunk = await shrink(t, property, index, startedAt);
  const batchFailure = attempts[index]!;
  // A timeout its replay does not repeat says more about a loaded machine than about the Hive: noted, not counted.
  if (!shrunk.smallest && batchFailure.finding?.exchange?.failure?.kind === 'timeout') {
    t.note(`a request timed out once but not when replayed (seed ${seed}, path "${index}"): ${batchFailure.finding.message}`);
    return;
  }
  // A Hive that fails a sample only some of the time may pass its replay: the batch's own failure is reported then.
  const culprit = shrunk.smallest ?? batchFailure;
  const finding = culprit.finding!;
  const counterexample = { shown: property.show(culprit.sample), shrinks: shrunk.smallest ? shrunk.shrinks : 0, path: shrunk.path, exchanges: culprit.exchanges };
  t.fail(finding.rule, describeCounterexample(t, finding, counterexample), finding.exchange ?? culprit.exchanges.at(-1));
}
