// Odd numbers and broken encodings reach the Hive exactly as the fuzzer meant them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyLiteral, exactValue, RawJson } from '../../src/fuzz/numbers.js';
import { BadUtf8, encodeParts, getQuery, MAX_GET_URL_BYTES, postBody, Twice } from '../../src/fuzz/wire.js';

describe('JSON number literals', () => {
  it.each([
    ['1e309', { negative: false, integer: true }, undefined],
    ['-1e-400', { negative: true, integer: false }, undefined],
    ['9007199254740993', { negative: false, integer: true }, 9007199254740992],
    ['1.0', { negative: false, integer: true }, 1],
    ['0.1e1', { negative: false, integer: true }, 1],
    ['100e-2', { negative: false, integer: true }, 1],
    ['2.5', { negative: false, integer: false }, 2.5],
    ['-0', { negative: false, integer: true }, -0],
    ['-3', { negative: true, integer: true }, -3],
  ])('%s is %o, held by JavaScript as %s', (text, exact, value) => {
    expect(classifyLiteral(text)).toEqual(exact);
    expect(exactValue(text)).toBe(value);
  });

  it.each(['01', '.5', '+1', 'NaN', '1e', ''])('%j is no JSON number', (text) => expect(classifyLiteral(text)).toBeUndefined());
});

describe('encodings', () => {
  const base = new URL('http://127.0.0.1:1/');

  it('writes literals, bytes that are not UTF-8 and repeated parts into a POST body', () => {
    const body = postBody({ w: 'Epost_conv_old', limit: new RawJson('1e309'), conv: new BadUtf8('a', [0xff], 'b'), iam: new Twice('x', 'y') });
    expect(body.equals(Buffer.concat([Buffer.from('{"w":"Epost_conv_old","limit":1e309,"conv":"a'), Buffer.from([0xff]), Buffer.from('b","iam":"x","iam":"y"}')]))).toBe(true);
  });

  it('writes the same into a GET query, each part JSON text (T4)', () => {
    expect(getQuery({ w: 'Epost_ping', start: new RawJson('-0.5'), s: new BadUtf8('', [0xc3, 0x28], ''), iam: new Twice('a', 'b') }))
      .toBe('?w=%22Epost_ping%22&start=-0.5&s=%22%C3%28%22&iam=%22a%22&iam=%22b%22');
  });

  it('sends a GET that would pass 8 KiB as a POST (T11 promises no more)', () => {
    expect(encodeParts({ w: 'Epost_ping', pad: 'a'.repeat(100) }, 'GET', base).method).toBe('GET');
    const big = encodeParts({ w: 'Epost_ping', pad: 'a'.repeat(MAX_GET_URL_BYTES) }, 'GET', base, 'Epost_ping');
    expect(big).toMatchObject({ method: 'POST', code: 'Epost_ping', headers: { 'content-type': 'application/json' } });
  });

  // Text goes the fast way (encodeURIComponent, one string), markers the byte way: both must write the same thing.
  const anyText = fc.string({ unit: fc.oneof(fc.constant('\uD800'), fc.constant('\uDFFF'), fc.constantFrom(..."!'()*~-_.%&=+ "), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 20 });

  it('percent-encodes every part exactly as its UTF-8 bytes, only unreserved characters left as they are', () => {
    fc.assert(fc.property(fc.dictionary(anyText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), (parts) => {
      const query = getQuery(parts);
      expect(query).toMatch(/^\?([A-Za-z0-9\-_.~]|%[0-9A-F]{2}|[=&])*$/);
      const decode = (escaped: string) => Buffer.from(escaped.replace(/%([0-9A-F]{2})|./g, (m, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : m)), 'latin1');
      const pairs = query.slice(1).split('&').filter((pair) => pair !== '').map((pair) => pair.split('=').map(decode));
      expect(pairs).toEqual(Object.entries(parts).map(([name, value]) => [Buffer.from(name), Buffer.from(JSON.stringify(value))]));
    }));
  });

  it('writes plain JSON values into a POST body exactly as JSON.stringify does', () => {
    fc.assert(fc.property(fc.dictionary(anyText, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), (parts) => {
      expect(postBody(parts).equals(Buffer.from(JSON.stringify(parts)))).toBe(true);
    }));
  });
});
