// Every regular expression of the project, proved linear by a ReDoS analyser
// (recheck, which runs offline: its native binary, else its pure-JS backend).
// The patterns read what a Hive or a client sent: the privacy scanner's, the
// validator's, the schemas' (ajv applies them to every reply), the readers'
// and the escapers'. One that backtracks polynomially lets a Hive stall a run
// with a reply under the size cap (issue 13). Trusted-only text gets no pass:
// a pattern is cheaper to make linear than to prove it never meets a Hive's bytes.
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { projectPatterns } from '../support/patterns.js';

const patterns = projectPatterns();

describe('the project\'s regular expressions', () => {
  it('are found: literals in src/ and suites/, patterns in schemas/', () => {
    const where = patterns.map((p) => p.where);
    expect(where.some((w) => w.startsWith('src/validator/privacy-scan.ts'))).toBe(true);
    expect(where.some((w) => w.startsWith('suites/'))).toBe(true);
    expect(where.some((w) => w.startsWith('schemas/common/text.json#'))).toBe(true);
  });

  it.each(patterns.map((p) => [`${p.where} /${p.source}/${p.flags}`, p] as const))('%s runs in linear time', (_name, pattern) => {
    const diagnostics = checkSync(pattern.source, pattern.flags, { timeout: 10_000 });
    const attack = diagnostics.status === 'vulnerable' ? `: ${diagnostics.complexity.type}, e.g. ${diagnostics.attack.pattern}` : '';
    expect(`${diagnostics.status}${attack}`).toBe('safe');
  });
});
