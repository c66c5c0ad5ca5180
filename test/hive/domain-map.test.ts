// T2: the operator's domain map, in the text form the CLI takes (--resolve, PAME_RESOLVE).
import { describe, expect, it } from 'vitest';
import { parseDomainMap, resolveBaseUrl, toDomainMap } from '../../src/hive/index.js';

describe('parseDomainMap', () => {
  it('reads domain=url pairs separated by commas, lower-casing domains', () => {
    const map = parseDomainMap(' alpha.pame.test=http://127.0.0.1:47100/alpha/ , Beta.PAME.test=https://beta.example:8443/pame/,');
    expect([...map]).toEqual([
      ['alpha.pame.test', 'http://127.0.0.1:47100/alpha/'],
      ['beta.pame.test', 'https://beta.example:8443/pame/'],
    ]);
  });

  it('keeps a base URL as given, and an empty text is an empty map', () => {
    expect(parseDomainMap('a.test=http://127.0.0.1:1/x').get('a.test')).toBe('http://127.0.0.1:1/x');
    expect(parseDomainMap('').size).toBe(0);
  });

  it.each([
    ['an entry without =', 'alpha.pame.test'],
    ['a bad domain', 'alpha_pame.test=http://127.0.0.1/'],
    ['a domain with a port', 'alpha.pame.test:80=http://127.0.0.1/'],
    ['a URL that is none', 'alpha.pame.test=not a url'],
    ['a scheme other than http(s)', 'alpha.pame.test=ftp://127.0.0.1/'],
    ['a URL with a query', 'alpha.pame.test=http://127.0.0.1/?x=1'],
    ['a domain mapped twice', 'a.test=http://127.0.0.1:1/,A.test=http://127.0.0.1:2/'],
  ])('refuses %s, naming the entry', (_, text) => {
    expect(() => parseDomainMap(text)).toThrow(/domain map/);
  });
});

describe('resolveBaseUrl', () => {
  it('gives the mapped URL, else https://epost.<domain>/', () => {
    const map = toDomainMap({ 'alpha.pame.test': 'http://127.0.0.1:47100/alpha/' });
    expect(resolveBaseUrl(map, 'alpha.pame.test')).toBe('http://127.0.0.1:47100/alpha/');
    expect(resolveBaseUrl(map, 'example.org')).toBe('https://epost.example.org/');
  });

  it('takes a Map, an object or the text form alike', () => {
    const text = 'a.test=http://127.0.0.1:1/';
    expect(toDomainMap(text)).toEqual(toDomainMap({ 'a.test': 'http://127.0.0.1:1/' }));
    expect(toDomainMap(new Map([['A.test', 'http://127.0.0.1:1/']]))).toEqual(parseDomainMap(text));
  });
});
