import { setTimeout as delay } from 'node:timers/promises';
import { HiveClient, type ClientOptions } from '../client/client.js';
import type { Exchange } from '../client/exchange.js';

/** The first pause between attempts, doubled after each up to MAX_PAUSE_MS. */
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 2_000;
/** The least time an attempt gets: one cut shorter would only report its own timeout. */
const MIN_ATTEMPT_MS = 250;

export interface WaitOutcome {
  readonly answered: boolean;
  readonly attempts: number;
  readonly elapsedMs: number;
  /** What the last attempt got, when the target never answered. */
  readonly last?: string;
}

/**
 * Whether the Hive itself answered: a gateway's 502 to 504 (no JSON) while
 * the Hive behind it starts is no answer; any other reply is, conformant or not.
 */
function answered(exchange: Exchange): boolean {
  const reply = exchange.reply;
  return reply !== undefined && (reply.json !== undefined || ![502, 503, 504].includes(reply.status));
}

function outcomeOf(exchange: Exchange): string {
  if (exchange.failure) return `${exchange.failure.kind}: ${exchange.failure.message}`;
  return `HTTP ${exchange.reply?.status ?? '?'} without a JSON body`;
}

/**
 * Polls the target's Epost_ping until it answers or `seconds` pass, backing
 * off between attempts: CI starts a Hive and the runner together, and the
 * first checks must not race the Hive's start. `pame run --wait-for` and
 * `pame scan` both wait through this.
 */
export async function waitForHive(target: string, seconds: number, client: Pick<ClientOptions, 'timeoutMs' | 'maxReplyBytes' | 'insecure' | 'fronting'> = {}): Promise<WaitOutcome> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let attempts = 0;
  let pause = FIRST_PAUSE_MS;
  let last = 'no attempt';
  for (;;) {
    const left = deadline - Date.now();
    const hive = new HiveClient(target, { ...client, timeoutMs: Math.max(1, Math.min(client.timeoutMs ?? left, left)) });
    try {
      attempts++;
      const exchange = await hive.call('Epost_ping', { iam: 'pamet-wait' });
      if (answered(exchange)) return { answered: true, attempts, elapsedMs: Date.now() - started };
      last = outcomeOf(exchange);
    } finally {
      await hive.close();
    }
    const rest = deadline - Date.now();
    if (rest < MIN_ATTEMPT_MS) return { answered: false, attempts, elapsedMs: Date.now() - started, last };
    await delay(Math.min(pause, rest - MIN_ATTEMPT_MS));
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }
}

/** The sentence a run ends with when the target never answered. */
export function describeNoAnswer(target: string, seconds: number, outcome: WaitOutcome): string {
  return `the Hive at ${target} did not answer Epost_ping within --wait-for ${seconds} s: ${outcome.attempts} attempt(s) over ${(outcome.elapsedMs / 1000).toFixed(1)} s, the last got ${outcome.last}`;
}
