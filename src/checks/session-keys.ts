// U3 judged from outside: how much of a set of session keys varies.

/** U3: at least 128 bits, in at least 22 characters. */
export const MIN_KEY_BITS = 128;
export const MIN_KEY_CHARS = 22;

export interface KeyVariation {
  /** Estimated bits of variation in a typical key (the median over the keys). */
  readonly bits: number;
  /** Character positions that vary from key to key. */
  readonly varyingPositions: number;
  /** Distinct characters seen at the varying positions. */
  readonly alphabet: number;
  /** Characters every key starts with. */
  readonly commonPrefix: number;
}

/**
 * A black-box estimate of how much of a set of keys is random. A position
 * varies when no character fills more than two thirds of the keys there (a
 * counter's high digits and a fixed prefix do not vary); a key's estimate is
 * its number of varying positions times log2 of the alphabet seen at them. It
 * cannot tell a hashed counter from randomness, but it catches keys that are
 * mostly constant. Two thirds, not half: the last character of 16 random bytes
 * in base64url (22 characters, the least U3 allows) is one of 4 values, and
 * one of them fills over half of 24 keys in about 1 sample of 120, which would deny
 * the shortest permitted key the 128 bits it carries.
 */
export function keyVariation(keys: readonly string[]): KeyVariation {
  const chars = keys.map((key) => [...key]);
  const longest = Math.max(0, ...chars.map((c) => c.length));
  const varying: boolean[] = [];
  const alphabet = new Set<string>();
  for (let i = 0; i < longest; i++) {
    const column = chars.map((c) => c[i]).filter((c): c is string => c !== undefined);
    const counts = new Map<string, number>();
    for (const c of column) counts.set(c, (counts.get(c) ?? 0) + 1);
    varying[i] = column.length >= 2 && Math.max(...counts.values()) * 3 <= column.length * 2;
    if (varying[i]) column.forEach((c) => alphabet.add(c));
  }
  const bitsPerChar = alphabet.size > 1 ? Math.log2(alphabet.size) : 0;
  const perKey = chars.map((c) => c.filter((_, i) => varying[i]).length * bitsPerChar).sort((a, b) => a - b);
  let commonPrefix = 0;
  while (chars.length > 0 && commonPrefix < longest && chars.every((c) => c[commonPrefix] !== undefined && c[commonPrefix] === chars[0]![commonPrefix])) commonPrefix++;
  return { bits: perKey[Math.floor(perKey.length / 2)] ?? 0, varyingPositions: varying.filter(Boolean).length, alphabet: alphabet.size, commonPrefix };
}
