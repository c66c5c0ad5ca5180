// PAME-PRIV-007's timing probe reports a gap only when a second batch of log-ins
// shows it again in the same direction: a burst of load that slows one kind of
// log-in for a while (another scan, a GC pause) is not the Hive's doing and
// must not warn against an honest Hive. A Hive whose gap is its own is still
// caught (the self-test's privacy-slow-unknown-login).
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withTamper } from '../../fixtures/bad-hives/types.js';
import { resultsAgainst } from '../self-test/self-test.js';
import { privacySuite } from '../../suites/privacy.js';

const probe = privacySuite.checks.filter((check) => check.id === 'PAME-PRIV-007');
/** Log-ins for the unknown user the first batch makes: its warm-up and its samples. */
const FIRST_BATCH_UNKNOWN_LOGINS = 4 + 40;

describe('PAME-PRIV-007 under a burst of load', () => {
  it('passes a Hive that was slow for one kind of log-in during the first batch only', async () => {
    let logins = 0;
    const burst = withTamper({
      handlers: {
        Epost_session_open: async (ctx, original) => {
          const unknown = !ctx.hive.store.user(ctx.iam.user);
          if (unknown && ++logins <= FIRST_BATCH_UNKNOWN_LOGINS) await sleep(15);
          return original(ctx);
        },
      },
    });
    const result = (await resultsAgainst(burst, probe)).get('PAME-PRIV-007')!;
    expect(result.status, result.message).toBe('passed');
    // The first batch did see the gap, and the second did not: the note says both.
    expect(result.notes?.filter((note) => note.startsWith('log-in failure timing'))).toHaveLength(2);
  });
});
