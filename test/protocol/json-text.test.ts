// The Hive's JSON reader: T4's "a part given twice" for POST members, and a
// nesting cap so nothing that walks a parsed value can overflow the stack.
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseRequestJson } from '../../src/protocol/json-text.js';

describe('parseRequestJson', () => {
  it.each([
    ['{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', { a: 1, b: { a: 2 }, c: [{ a: 3 }, { a: 4 }] }],
    ['{"a":"}{\\"a\\":1,","b":"\\\\"}', { a: '}{"a":1,', b: '\\' }],
    ['{"":1," ":2}', { '': 1, ' ': 2 }],
    ['[1,"a",{"a":[]},{}]', [1, 'a', { a: [] }, {}]],
    ['"text"', 'text'],
    [' {"a" : [ ] , "b" : { } } ', { a: [], b: {} }],
  ])('reads %s', (text, value) => {
    expect(parseRequestJson(text)).toEqual({ value });
  });

  it.each([
    ['a repeated member', '{"a":1,"a":1}'],
    ['a repeated member written with an escape', '{"a":1,"\\u0061":2}'],
    ['a repeated member in a nested object', '{"x":{"a":1,"b":2,"a":3}}'],
    ['a repeated member in an object in an array', '{"x":[{},{"a":1,"a":1}]}'],
    ['a syntax error', '{"a":1,}'],
    ['trailing text', '{"a":1} x'],
    ['empty text', ''],
  ])('refuses %s', (_, text) => {
    expect(parseRequestJson(text)).toBeUndefined();
  });

  it('allows the same name in different objects', () => {
    expect(parseRequestJson('[{"a":1},{"a":2}]')).toEqual({ value: [{ a: 1 }, { a: 2 }] });
  });

  it(`caps nesting at ${MAX_JSON_DEPTH}`, () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(parseRequestJson(nested(MAX_JSON_DEPTH))).toBeDefined();
    expect(parseRequestJson(nested(MAX_JSON_DEPTH + 1))).toBeUndefined();
    expect(parseRequestJson(nested(100_000))).toBeUndefined();
    expect(parseRequestJson('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))).toBeUndefined();
  });
});
