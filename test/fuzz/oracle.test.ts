// The fuzz oracle's three values (src/fuzz/oracle.ts, src/protocol/content.ts)
// against text policies of good Hives written here independently: one that
// refuses exactly M1 and M2's forms, and two that refuse every fragment they
// may. The oracle may never say "must" where one of them chose otherwise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demandOf } from '../../src/fuzz/oracle.js';
import { HTML_FRAGMENTS, LOOKALIKES, SCRIPT_URL_FRAGMENTS, SCRIPT_URLS, scriptUrl, scriptUrlFragment } from '../../src/fuzz/text.js';
import type { PartsRequest } from '../../src/fuzz/valid.js';
import { textDemand } from '../../src/protocol/content.js';

const M1 = /<[A-Za-z/!?]/;

/** A Hive refusing exactly what M1 and M2 fix (backtracking regexes: fine for a test's short texts, not for a Hive's input). */
const EXACT_M2 = [
  /\[url=[ \t\r\n"']*(?:javascript|data|vbscript):[^\]]*\]/i,
  /\[url\][ \t\r\n"']*(?:javascript|data|vbscript):[\s\S]*?\[\/url\]/i,
  /\[img\][ \t\r\n"']*(?:javascript|data|vbscript):[\s\S]*?\[\/img\]/i,
];

/** The reference Hive's M2 pattern before issue 12: a tag's text run to the first ']', blanks before the colon. */
const OLD_REFERENCE_M2 = /\[(?:url|img)(?:=|(?:[^\]\[]|\[(?!url|img))*\])[\s"']*(?:javascript|data|vbscript)\s*:/i;

/** A paranoid Hive: references decoded, compatibility forms folded, everything but letters, '[' and ':' dropped, then any tag before any script scheme. */
function paranoidReading(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)))
    .replace(/&#([0-9]+);?/g, (_, dec: string) => String.fromCodePoint(Math.min(parseInt(dec, 10), 0x10ffff)))
    .replace(/&colon;/gi, ':')
    .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z[:]/g, '');
}

const POLICIES: Readonly<Record<string, (text: string) => boolean>> = {
  'refuses exactly M1 and M2': (text) => M1.test(text) || EXACT_M2.some((form) => form.test(text)),
  'refuses as the old reference Hive did': (text) => M1.test(text) || OLD_REFERENCE_M2.test(text),
  'refuses every tag followed by a script scheme, however spelled': (text) => M1.test(text) || /\[(?:url|img).*(?:javascript|data|vbscript):/.test(paranoidReading(text)),
};

/** Text that explores M2's grammar: tag pieces, schemes, blanks, quotes, references, in any order. */
const grammarPieces = fc.string({
  unit: fc.constantFrom('[', ']', 'url', 'URL', 'Url', 'img', 'IMG', '=', '/', '[/url]', '[/img]', 'javascript', 'JavaScript', 'data', 'vb', 'script', ':', ' ', '\t', '\n', '"', "'", '&#58;', '&#x61;', '%3a', '\u00a0', '<', 'b', '!', 'x', 'é', '<3'),
  maxLength: 14,
});

const anyText = fc.oneof(
  grammarPieces,
  fc.tuple(fc.string({ maxLength: 6 }), fc.oneof(scriptUrl, scriptUrlFragment, fc.constantFrom(...SCRIPT_URLS, ...SCRIPT_URL_FRAGMENTS, ...HTML_FRAGMENTS, ...LOOKALIKES)), grammarPieces).map((pieces) => pieces.join('')),
);

describe('the three-valued oracle', () => {
  it('never says "must" where a good Hive chose otherwise (fixed seed, 30 000 texts)', () => {
    const counts = { refuse: 0, accept: 0, either: 0 };
    fc.assert(
      fc.property(anyText, (text) => {
        const demand = textDemand(text);
        counts[demand]++;
        for (const [name, refuses] of Object.entries(POLICIES)) {
          if (demand === 'refuse') expect(refuses(text), `${name}: ${JSON.stringify(text)} must be refused`).toBe(true);
          if (demand === 'accept') expect(refuses(text), `${name}: ${JSON.stringify(text)} must be taken`).toBe(false);
        }
      }),
      { seed: 20261203, numRuns: 30_000 },
    );
    // Every value is reached often: the property is not vacuous.
    for (const value of Object.values(counts)) expect(value).toBeGreaterThan(1_000);
  });

  it('the good policies disagree on fragments only, which the oracle leaves to the Hive', () => {
    for (const text of SCRIPT_URL_FRAGMENTS) {
      const choices = new Set(Object.values(POLICIES).map((refuses) => refuses(text)));
      expect(textDemand(text), text).toBe('either');
      expect(choices.has(true), `${text}: some good Hive refuses it`).toBe(true);
    }
  });

  it.each([
    ['[IMg=DAtA:', 'either'],
    ['[Url!]JaVAScrIPt:', 'either'],
    ['[url=javascript:alert(1)]x', 'refuse'],
    ['[url=https://example.org/]x[/url]', 'accept'],
  ] as const)('judges a send with body %j as %s (issue 12: PAME-FUZZ-002 failed a Hive for taking the first two)', (body, must) => {
    const parts = { w: 'Epost_msg_send', iam: 'ana::hive.pame.test', session: 'k'.repeat(22), to: ['bob::hive.pame.test'], body };
    const request: PartsRequest = { kind: 'parts', code: 'Epost_msg_send', method: 'POST', parts, fault: { part: 'body', how: `${JSON.stringify(body)}, which it forbids` } };
    expect(demandOf(request, parts).must).toBe(must);
  });

  it('still says "refuse" for a request a rule makes fail, and "either" for what a Hive limit may take', () => {
    const base = { w: 'Epost_msg_send', iam: 'ana::hive.pame.test', session: 'k'.repeat(22), to: ['bob::hive.pame.test'], body: 'hi' };
    const judge = (parts: Record<string, unknown>) => demandOf({ kind: 'parts', code: 'Epost_msg_send', method: 'POST', parts }, parts);
    expect(judge({ ...base, to: [] })).toMatchObject({ must: 'refuse', rule: 'Q5' });
    expect(judge({ ...base, body: '<b>' })).toMatchObject({ must: 'refuse', rule: 'M1' });
    expect(judge({ ...base, subject: 's'.repeat(201) }).must).toBe('either');
    expect(judge({ ...base, w: 'Epost_nothing' })).toMatchObject({ must: 'refuse', rule: 'E2' });
  });
});
