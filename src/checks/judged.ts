import type { Exchange } from '../client/exchange.js';

/**
 * A value read from a reply, carrying the exchange it came from: what a check
 * names as evidence when it judges the value. Inside Promise.all the check's
 * last exchange may be another request, so steps hand this on instead.
 */
export type Judged<T extends object> = T & { readonly exchange: Exchange };

/**
 * A copy of `value` with its exchange attached. The property is not enumerable,
 * so comparisons (isDeepStrictEqual), spreads and JSON of the value ignore it.
 */
export function judged<T extends object>(value: T, exchange: Exchange): Judged<T> {
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as T;
  return Object.defineProperty(copy, 'exchange', { value: exchange, enumerable: false }) as Judged<T>;
}
