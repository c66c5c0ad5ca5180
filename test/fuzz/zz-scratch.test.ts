import fc from 'fast-check';
import { it } from 'vitest';
import { validRequest } from '../../src/fuzz/valid.js';
import { REQUEST_CODES } from '../../src/protocol/codes.js';
it('scratch', () => {
  for (const code of REQUEST_CODES) {
    for (const aim of ['aimed', 'any'] as const) {
      const xs = fc.sample(validRequest(code, aim), { seed: 1, numRuns: 3 });
      console.log(code, aim, JSON.stringify(xs.map((x) => [x.method, x.parts])).slice(0, 600));
    }
  }
});
