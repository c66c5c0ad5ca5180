import fc from 'fast-check';
import { it } from 'vitest';
import { anyNearValidRequest } from '../../src/fuzz/near-valid.js';
import { anyValidRequest } from '../../src/fuzz/valid.js';
import { wildRequest, unknownCodeRequest } from '../../src/fuzz/wild.js';
import { letters } from '../../src/fuzz/roundtrip.js';
import { commandSequences } from '../../src/fuzz/commands.js';
it('gen speed', () => {
  for (const [name, arb] of [['valid any', anyValidRequest('any')], ['valid aimed', anyValidRequest('aimed')], ['near', anyNearValidRequest()], ['wild', wildRequest], ['unknown', unknownCodeRequest], ['letters', letters], ['cmds', commandSequences]] as const) {
    const t0 = Date.now();
    const xs = fc.sample(arb as fc.Arbitrary<unknown>, { seed: 42, numRuns: 200 });
    console.log(name, Date.now() - t0, 'ms', xs.length);
  }
}, 600_000);
