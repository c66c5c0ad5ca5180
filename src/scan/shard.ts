// --shard K/N: which targets one machine of a distributed scan certifies.
import { TargetError, urlHash } from './targets.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index < 1 || shard.index > shard.count) throw new TargetError(`--shard takes K/N with 1 ≤ K ≤ N, not ${JSON.stringify(text)}`);
  return shard;
}

/**
 * The K-th of N shards: the targets ordered by the hash of their URL and dealt
 * out in turn, so every shard gets the same number of targets (±1) and the
 * split depends on the set of targets, not on the order of the file.
 */
export function shardOf<T extends { readonly url: string }>(targets: readonly T[], shard: Shard): T[] {
  const ordered = targets.map((target) => ({ target, hash: urlHash(target.url) })).sort((a, b) => (a.hash < b.hash ? -1 : 1));
  return ordered.filter((_, i) => i % shard.count === shard.index - 1).map(({ target }) => target);
}
