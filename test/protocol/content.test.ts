// M1 and M2 judged three ways (src/protocol/content.ts): the exact forms the
// profile fixes, the fragments it leaves to the Hive, and plain text.
import { describe, expect, it } from 'vitest';
import { containsScriptUrl, textDemand, type TextDemand } from '../../src/protocol/content.js';
import { validateMessage, validateRequest } from '../../src/validator/index.js';

const CASES: readonly (readonly [string, TextDemand])[] = [
  // M2's three forms, any case, blanks and quotes trimmed.
  ['[url=javascript:alert(1)]x[/url]', 'refuse'],
  ['[url=javascript:alert(1)]', 'refuse'],
  ['see [URL=" VBScript:msgbox(1)"]x[/URL]', 'refuse'],
  ["[url= \t'\"data:text/html,hi\"]", 'refuse'],
  ['[url]javascript:x[/url]', 'refuse'],
  ['[URL]\r\n JavaScript:x[/url]', 'refuse'],
  ['[img]data:image/png;base64,AAAA[/img]', 'refuse'],
  ['[IMG]vbscript:x[/iMg]', 'refuse'],
  ['[url=x [url=javascript:a]', 'refuse'],
  ['[url][url]javascript:x[/url]', 'refuse'],
  // M1.
  ['<b>', 'refuse'],
  ['</p>', 'refuse'],
  ['<!--', 'refuse'],
  ['<?xml', 'refuse'],
  // Short of M2's forms: the Hive's choice (the two from issue 12 first).
  ['[IMg=DAtA:', 'either'],
  ['[Url!]JaVAScrIPt:', 'either'],
  ['[img=data:x]', 'either'],
  ['[url=javascript:alert(1)', 'either'],
  ['[url]javascript:x', 'either'],
  ['[url]javascript:x[/img]', 'either'],
  ['[url=jav&#97;script:x]', 'either'],
  ['[url=javascript&#58;x]', 'either'],
  ['[url=javascript&colon;x]', 'either'],
  ['[url=java script:x]', 'either'],
  ['[url=javascript :x]', 'either'],
  ['[url=\u00a0javascript:x]', 'either'],
  ['[url=\u200bjavascript:x]', 'either'],
  ['[url=java%73cript:x]', 'either'],
  ['[ url=javascript:x]', 'either'],
  ['[url=http://x]javascript: rocks[/url]', 'either'],
  // Plain text: no rule lets a Hive refuse it.
  ['a < b', 'accept'],
  ['<3 <é <1 < b>', 'accept'],
  ['[b]bold[/b]', 'accept'],
  ['[url=https://example.com]x[/url]', 'accept'],
  ['[img]https://example.org/a.png[/img]', 'accept'],
  ['javascript: is a language, data: is plural', 'accept'],
  ['[url]https://example.org/javascript/[/url]', 'accept'],
  ['[urls] data: x', 'either'],
  ['&lt;b&gt;', 'accept'],
  // M2's forms match ASCII letter case only; a Hive folding further (the long s, fullwidth letters) may refuse.
  ['[url]javaſcript:x[/url]', 'either'],
  ['[\u212Aurl]', 'accept'],
  ['[\uFF55rl]\uFF4Aavascript:x', 'either'],
];

describe('M1 and M2, three-valued', () => {
  it.each(CASES)('%j is %s', (value, demand) => {
    expect(textDemand(value)).toBe(demand);
  });

  it('the schemas judge M2 exactly: a request or Message breaks it only with a complete form', () => {
    const request = (body: string) => validateRequest('Epost_msg_send', { w: 'Epost_msg_send', iam: 'ana', session: 'k', to: ['bob'], body }).violations.map((v) => v.rule);
    expect(request('[url=javascript:x]y')).toEqual(['M2']);
    expect(request('[IMg=DAtA:')).toEqual([]);
    expect(request('[Url!]JaVAScrIPt:')).toEqual([]);
    expect(request('<b>')).toEqual(['M1']);
    const message = (body: string) => ({ msg: 'm', from: 'a::b.example', to: ['c::d.example'], date: '2026-01-01T00:00:00Z', ip: '192.0.2.1', subject: '', format: 'plain', body });
    expect(validateMessage(message('[img]data:x[/img]')).violations.map((v) => v.rule)).toEqual(['M2']);
    expect(validateMessage(message('[img]data:x')).valid).toBe(true);
  });

  it('judges hostile text in linear time', () => {
    const pieces = ['[url=javascript:', '[url]javascript:', '[img]data:', '[url=' + ' '.repeat(1000), '&#x', '[', '<'];
    for (const piece of pieces) {
      const value = piece.repeat(Math.ceil(262_144 / piece.length));
      const started = performance.now();
      textDemand(value);
      containsScriptUrl(value);
      // Quadratic scans of 256 KiB take seconds; one pass takes milliseconds.
      expect(performance.now() - started, piece).toBeLessThan(1_000);
    }
  });
});
